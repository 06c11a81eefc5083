#pragma once

#include <cstdint>
#include <string_view>

#include "kit/auth/token_signer.hpp"
#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"
#include "user/domain/session_repository.hpp"
#include "user/domain/user.hpp"
#include "user/domain/user_repository.hpp"

namespace reel::user {

/// What a logout did: whose session it was, and whether this call ended it (false when it
/// had ended already).
struct LogoutOutcome {
  std::int64_t user_id = 0;
  bool revoked = false;
};

/// Sessions and the tokens bound to them. Access tokens name their session ("sid"); refresh
/// tokens name it and their generation ("gen"). Using the current refresh token rotates the
/// session (a new pair, the old refresh token dead); using an older one revokes the whole
/// session, since a refresh token used twice was copied. Thread-safe.
class SessionKeeper {
 public:
  SessionKeeper(SessionRepository& sessions, UserRepository& users, const auth::TokenSigner& signer,
                const Clock& clock)
      : sessions_(sessions), users_(users), signer_(signer), clock_(clock) {}

  /// Opens a session for `user_id`. With `with_device`, also a device token (for logins).
  Session Open(std::int64_t user_id, bool with_device);

  /// The tokens of session `session_id` at generation 1, just opened by the repository.
  Session TokensOf(std::int64_t user_id, std::int64_t session_id, bool with_device) const;

  /// A new pair for the current refresh token of a live session. Errors (UNAUTHENTICATED):
  /// TOKEN_INVALID (not a refresh token, forged, from before sessions, a session not the
  /// token's user's), TOKEN_EXPIRED, TOKEN_REVOKED (the session was logged out),
  /// TOKEN_REUSED (an older refresh token of the session: the session is revoked now);
  /// USER_NOT_FOUND.
  Result<Session> Refresh(std::string_view refresh_token);

  /// Revokes the session of `refresh_token` when given, else of `access_token`. Revoking an
  /// ended session again is no error. Errors (UNAUTHENTICATED): TOKEN_MISSING (neither
  /// given), TOKEN_INVALID (a token naming no session of its user), TOKEN_EXPIRED.
  Result<LogoutOutcome> Logout(std::string_view access_token, std::string_view refresh_token);

  /// Ok when user `user_id` exists and session `session_id` (0: a token from before
  /// sessions) is theirs and not revoked. Errors (UNAUTHENTICATED): TOKEN_INVALID,
  /// TOKEN_REVOKED.
  Status Check(std::int64_t user_id, std::int64_t session_id);

  /// When a session opened or refreshed now expires, in ms since the epoch.
  std::int64_t ExpiryFromNowMs() const;
  std::int64_t NowMs() const;

 private:
  Session Tokens(std::int64_t user_id, std::int64_t session_id, std::int64_t generation,
                 bool with_device) const;

  SessionRepository& sessions_;
  UserRepository& users_;
  const auth::TokenSigner& signer_;
  const Clock& clock_;
};

}  // namespace reel::user
