#include "user/domain/user_service.hpp"

#include <algorithm>
#include <unordered_map>

#include "user/domain/credentials_policy.hpp"

namespace reel::user {
namespace {

Status UserNotFound(std::int64_t id) {
  return NotFound("USER_NOT_FOUND", "user " + std::to_string(id) + " does not exist");
}

// Login buckets are per name as typed, folded to ASCII lower case like the unique index.
std::string ThrottleKey(std::string_view name) {
  std::string key(name);
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) {
    return c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c);
  });
  return key;
}

}  // namespace

UserService::UserService(UserRepository& repository, const auth::PasswordHasher& hasher,
                         const auth::TokenSigner& signer, limits::KeyedRateLimiter& failed_logins,
                         const Clock& clock)
    : repository_(repository),
      hasher_(hasher),
      signer_(signer),
      failed_logins_(failed_logins),
      clock_(clock) {}

Session UserService::IssueSession(std::int64_t user_id) const {
  return Session{user_id, signer_.Issue(user_id, auth::TokenType::kAccess),
                 signer_.Issue(user_id, auth::TokenType::kRefresh),
                 signer_.TtlOf(auth::TokenType::kAccess).count()};
}

Result<Session> UserService::Register(std::string_view name, std::string_view password) {
  if (Status s = ValidateUsername(name); !s.ok()) return s;
  if (Status s = ValidatePassword(password); !s.ok()) return s;
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count();
  auto id = repository_.Create(name, hasher_.Hash(password), now_ms);
  if (!id.ok()) return id.status();
  return IssueSession(*id);
}

Result<Session> UserService::Login(std::string_view name, std::string_view password) {
  const std::string key = ThrottleKey(name);
  if (auto d = failed_logins_.Peek(key); !d.allowed) {
    return ResourceExhausted("LOGIN_THROTTLED",
                             "too many failed logins for this username; retry in " +
                                 std::to_string(d.retry_after.count()) + " s",
                             d.retry_after);
  }
  auto found = repository_.FindCredentials(name);
  const bool verified = found ? hasher_.Verify(found->password_hash, password)
                              : (hasher_.VerifyDummy(password), false);
  if (!verified) {
    (void)failed_logins_.Take(key);
    return Unauthenticated("LOGIN_FAILED", "incorrect username or password");
  }
  return IssueSession(found->user.id);
}

Result<Session> UserService::Refresh(std::string_view refresh_token) {
  auto claims = signer_.Verify(refresh_token, auth::TokenType::kRefresh);
  if (!claims.ok()) return claims.status();
  // A deleted account must not be able to mint tokens forever.
  if (!repository_.FindById(claims->user_id)) return UserNotFound(claims->user_id);
  return IssueSession(claims->user_id);
}

Result<User> UserService::GetUser(std::int64_t id) {
  auto user = repository_.FindById(id);
  if (!user) return UserNotFound(id);
  return std::move(*user);
}

std::vector<User> UserService::BatchGetUsers(std::span<const std::int64_t> ids) {
  std::vector<User> found = repository_.FindByIds(ids);
  std::unordered_map<std::int64_t, const User*> by_id;
  for (const User& u : found) by_id.emplace(u.id, &u);
  std::vector<User> ordered;
  ordered.reserve(ids.size());
  for (std::int64_t id : ids) {
    if (auto it = by_id.find(id); it != by_id.end()) ordered.push_back(*it->second);
  }
  return ordered;
}

}  // namespace reel::user
