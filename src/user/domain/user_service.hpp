#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "kit/auth/password_hasher.hpp"
#include "kit/auth/token_signer.hpp"
#include "kit/clock/clock.hpp"
#include "kit/events/event_bus.hpp"
#include "kit/limits/keyed_rate_limiter.hpp"
#include "kit/status/status.hpp"
#include "user/domain/user.hpp"
#include "user/domain/user_repository.hpp"

namespace reel::user {

/// The user use cases: accounts, credentials, profiles and tokens. Thread-safe.
class UserService {
 public:
  /// `failed_logins` holds a bucket per username; each failed login takes a token, and a
  /// username whose bucket is empty cannot log in until it refills. `events` hears of every
  /// committed registration (USER_REGISTERED) and profile change (USER_UPDATED).
  UserService(UserRepository& repository, const auth::PasswordHasher& hasher,
              const auth::TokenSigner& signer, limits::KeyedRateLimiter& failed_logins,
              const Clock& clock, events::EventSink& events);

  /// Errors: USERNAME_INVALID, PASSWORD_INVALID (INVALID_ARGUMENT), USERNAME_TAKEN.
  Result<Session> Register(std::string_view name, std::string_view password);

  /// Errors: LOGIN_FAILED (UNAUTHENTICATED; the same for an unknown name and a wrong
  /// password), LOGIN_THROTTLED (RESOURCE_EXHAUSTED).
  Result<Session> Login(std::string_view name, std::string_view password);

  /// A new token pair for a valid refresh token. Errors: TOKEN_INVALID, TOKEN_EXPIRED,
  /// USER_NOT_FOUND.
  Result<Session> Refresh(std::string_view refresh_token);

  /// Errors: USER_NOT_FOUND.
  Result<User> GetUser(std::int64_t id);

  /// The users that exist among `ids`, in the order of `ids` (duplicates kept).
  std::vector<User> BatchGetUsers(std::span<const std::int64_t> ids);

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
  Session IssueSession(std::int64_t user_id) const;
  std::int64_t NowMs() const;

  UserRepository& repository_;
  const auth::PasswordHasher& hasher_;
  const auth::TokenSigner& signer_;
  limits::KeyedRateLimiter& failed_logins_;
  const Clock& clock_;
  events::EventSink& events_;
};

}  // namespace reel::user
