#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "kit/auth/password_hasher.hpp"
#include "kit/auth/token_signer.hpp"
#include "kit/clock/clock.hpp"
#include "kit/limits/keyed_rate_limiter.hpp"
#include "kit/status/status.hpp"
#include "user/domain/user.hpp"
#include "user/domain/user_repository.hpp"

namespace reel::user {

/// The user use cases: accounts, credentials and tokens. Thread-safe.
class UserService {
 public:
  /// `failed_logins` holds a bucket per username; each failed login takes a token, and a
  /// username whose bucket is empty cannot log in until it refills.
  UserService(UserRepository& repository, const auth::PasswordHasher& hasher,
              const auth::TokenSigner& signer, limits::KeyedRateLimiter& failed_logins,
              const Clock& clock);

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

 private:
  Session IssueSession(std::int64_t user_id) const;

  UserRepository& repository_;
  const auth::PasswordHasher& hasher_;
  const auth::TokenSigner& signer_;
  limits::KeyedRateLimiter& failed_logins_;
  const Clock& clock_;
};

}  // namespace reel::user
