#include "user/domain/user_service.hpp"

#include <algorithm>
#include <unordered_map>

#include "user/domain/credentials_policy.hpp"
#include "user/domain/profile_policy.hpp"

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
                         const Clock& clock, events::EventSink& events)
    : repository_(repository),
      hasher_(hasher),
      signer_(signer),
      failed_logins_(failed_logins),
      clock_(clock),
      events_(events) {}

std::int64_t UserService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

Session UserService::IssueSession(std::int64_t user_id) const {
  return Session{user_id, signer_.Issue(user_id, auth::TokenType::kAccess),
                 signer_.Issue(user_id, auth::TokenType::kRefresh),
                 signer_.TtlOf(auth::TokenType::kAccess).count()};
}

Result<Session> UserService::Register(std::string_view name, std::string_view password) {
  if (Status s = ValidateUsername(name); !s.ok()) return s;
  if (Status s = ValidatePassword(password); !s.ok()) return s;
  auto id = repository_.Create(name, hasher_.Hash(password), NowMs());
  if (!id.ok()) return id.status();
  events_.Publish(events::MakeEvent(events::v1::USER_REGISTERED, *id, *id, NowMs()));
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

Result<User> UserService::UpdateProfile(std::int64_t user_id, const ProfileUpdate& update) {
  if (Status s = ValidateProfileUpdate(update); !s.ok()) return s;
  auto user = repository_.UpdateProfile(user_id, update);
  if (!user.ok()) return user.status();
  events_.Publish(events::MakeEvent(events::v1::USER_UPDATED, user_id, user_id, NowMs()));
  return user;
}

Status UserService::CheckProfileUpdate(std::int64_t user_id, const ProfileUpdate& update) {
  if (Status s = ValidateProfileUpdate(update); !s.ok()) return s;
  if (!repository_.FindById(user_id)) return UserNotFound(user_id);
  if (update.name) {
    // Matches names as the unique index does (ASCII case ignored); the user's own name in
    // another case is theirs to take.
    auto holder = repository_.FindCredentials(*update.name);
    if (holder && holder->user.id != user_id) {
      return AlreadyExists("USERNAME_TAKEN", "username '" + *update.name + "' is already taken");
    }
  }
  return Status::Ok();
}

Result<UserIdPage> UserService::ListUserIds(std::int64_t after_id, int limit) {
  if (limit == 0) limit = kDefaultIdPage;
  if (limit < 0 || limit > kMaxIdPage || after_id < 0) {
    return InvalidArgument("PARAM_INVALID", "limit must be 1.." + std::to_string(kMaxIdPage) +
                                                " and after_id not negative");
  }
  // One more than asked tells whether another page follows without a second query.
  UserIdPage page{repository_.ListIds(after_id, limit + 1), 0};
  if (page.user_ids.size() > static_cast<std::size_t>(limit)) {
    page.user_ids.resize(static_cast<std::size_t>(limit));
    page.next_after_id = page.user_ids.back();
  }
  return page;
}

}  // namespace reel::user
