#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "kit/auth/password_hasher.hpp"
#include "kit/auth/token_signer.hpp"
#include "kit/clock/clock.hpp"
#include "kit/events/commit_hook.hpp"
#include "kit/status/status.hpp"
#include "user/domain/login_throttle.hpp"
#include "user/domain/session_keeper.hpp"
#include "user/domain/session_repository.hpp"
#include "user/domain/user.hpp"
#include "user/domain/user_repository.hpp"

namespace reel::user {

/// What a login presents.
struct LoginInput {
  std::string_view name;
  std::string_view password;
  std::string_view client_address;  // the client's IP, for the throttle; may be empty
  std::string_view device_token;    // from an earlier login of this client; may be empty
};

/// Who looks up a user (issue 16: hidden users). viewer_id 0: anonymous.
struct UserLookup {
  std::int64_t viewer_id = 0;
  bool all_states = false;

  bool Sees(const User& user) const { return !user.hidden || all_states || user.id == viewer_id; }
};

/// The user use cases: accounts, credentials, profiles, sessions and tokens. Thread-safe.
class UserService {
 public:
  /// `failed_logins` slows password guessing (see LoginThrottle). The repository records
  /// the events of registrations and profile changes with them (its outbox); `committed`
  /// publishes them once they are committed.
  UserService(UserRepository& repository, SessionRepository& sessions,
              const auth::PasswordHasher& hasher, const auth::TokenSigner& signer,
              LoginThrottle& failed_logins, const Clock& clock,
              const events::CommitHook& committed);

  /// Opens the user's first session (with a device token).
  /// Errors: USERNAME_INVALID, PASSWORD_INVALID (INVALID_ARGUMENT), USERNAME_TAKEN.
  Result<Session> Register(std::string_view name, std::string_view password);

  /// Opens a session, with a fresh device token. A valid device token of the name's user
  /// lets the client past the per-username and per-address limits (LoginThrottle); an
  /// invalid or foreign one is ignored. Errors: LOGIN_FAILED (UNAUTHENTICATED; the same for
  /// an unknown name and a wrong password), LOGIN_THROTTLED (RESOURCE_EXHAUSTED, with
  /// retry_after).
  Result<Session> Login(const LoginInput& input);

  /// Rotates a session: a new pair for its current refresh token (see SessionKeeper).
  /// Errors: TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED, TOKEN_REUSED, USER_NOT_FOUND.
  Result<Session> Refresh(std::string_view refresh_token);

  /// Ends the session of `refresh_token` when given, else of `access_token`.
  /// Errors: TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED.
  Result<LogoutOutcome> Logout(std::string_view access_token, std::string_view refresh_token);

  /// Replaces the password of `user_id` when `old_password` is theirs, ends every session of
  /// theirs and opens a new one, in one transaction. Wrong old passwords are throttled like
  /// failed logins (per user and client address). Errors: PASSWORD_INVALID (the new one
  /// breaks the registration rules), PASSWORD_INCORRECT (PERMISSION_DENIED),
  /// LOGIN_THROTTLED, USER_NOT_FOUND.
  Result<Session> ChangePassword(std::int64_t user_id, std::string_view old_password,
                                 std::string_view new_password, std::string_view client_address);

  /// Whether a token of `user_id` and `session_id` may still write: the user exists and the
  /// session (0: none) is theirs and live. Errors: TOKEN_INVALID, TOKEN_REVOKED.
  Status CheckSession(std::int64_t user_id, std::int64_t session_id);

  /// A user whatever their state (hidden included): for the user service's own use and
  /// a user's own requests. Errors: USER_NOT_FOUND.
  Result<User> GetUser(std::int64_t id);
  /// A user as `viewer` may see them: a hidden user is not found except by themselves or
  /// with `all_states` (moderation). Errors: USER_NOT_FOUND.
  Result<User> GetUser(std::int64_t id, const UserLookup& lookup);

  /// The users that exist among `ids` and `lookup` may see (as GetUser), in the order of
  /// `ids` (duplicates kept).
  std::vector<User> BatchGetUsers(std::span<const std::int64_t> ids,
                                  const UserLookup& lookup = {.all_states = true});

  /// Grants or takes the moderator role (`role`: "user" or "moderator"); who may is the
  /// moderation service's decision. Errors: ROLE_INVALID, USER_NOT_FOUND.
  Result<User> SetRole(std::int64_t user_id, std::string_view role);
  /// Hides a user pending review, or shows them again. Publishes USER_UPDATED (search
  /// drops or restores them). Errors: USER_NOT_FOUND.
  Result<User> SetHidden(std::int64_t user_id, bool hidden);

  /// Changes the given parts of a user's profile, all or nothing, and returns the user as
  /// stored. The name is also the login name, so after a rename only the new one logs in.
  /// Errors: those of ValidateProfileUpdate (PARAM_MISSING, USERNAME_INVALID,
  /// SIGNATURE_INVALID, IMAGE_INVALID), USERNAME_TAKEN, USER_NOT_FOUND.
  Result<User> UpdateProfile(std::int64_t user_id, const ProfileUpdate& update);

  /// Checks `update` as UpdateProfile would (the rules, the name free for this user, the
  /// user there) and changes nothing, so a caller can refuse a change before it stores the
  /// pictures that go with it. Errors: as UpdateProfile.
  Status CheckProfileUpdate(std::int64_t user_id, const ProfileUpdate& update);

  static constexpr int kDefaultIdPage = 100;
  static constexpr int kMaxIdPage = 1000;
  /// Every user id, ascending, `limit` (1..kMaxIdPage; 0: kDefaultIdPage) at a time after
  /// `after_id` (0: from the start). Errors: PARAM_INVALID for a limit or after_id out of
  /// range.
  Result<UserIdPage> ListUserIds(std::int64_t after_id, int limit);

 private:
  std::int64_t NowMs() const;
  static Status Throttled(const limits::Decision& decision);

  UserRepository& repository_;
  SessionRepository& session_store_;
  const auth::PasswordHasher& hasher_;
  const auth::TokenSigner& signer_;
  LoginThrottle& failed_logins_;
  const Clock& clock_;
  const events::CommitHook& committed_;
  SessionKeeper sessions_;
};

}  // namespace reel::user
