#include "user/domain/user_service.hpp"

#include <unordered_map>

#include "kit/metrics/metrics.hpp"
#include "user/domain/credentials_policy.hpp"
#include "user/domain/profile_policy.hpp"

namespace reel::user {
namespace {

Status UserNotFound(std::int64_t id) {
  return NotFound("USER_NOT_FOUND", "user " + std::to_string(id) + " does not exist");
}

// The throttle's name for password changes of a user: '\x01' is in no username, so it is
// never a login name's bucket.
std::string PasswordChangeKey(std::int64_t user_id) {
  return "\x01password-change:" + std::to_string(user_id);
}

}  // namespace

UserService::UserService(UserRepository& repository, SessionRepository& sessions,
                         const auth::PasswordHasher& hasher, const auth::TokenSigner& signer,
                         LoginThrottle& failed_logins, const Clock& clock,
                         const events::CommitHook& committed)
    : repository_(repository),
      session_store_(sessions),
      hasher_(hasher),
      signer_(signer),
      failed_logins_(failed_logins),
      clock_(clock),
      committed_(committed),
      sessions_(sessions, repository, signer, clock) {}

std::int64_t UserService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

Status UserService::Throttled(const limits::Decision& decision) {
  return ResourceExhausted("LOGIN_THROTTLED",
                           "too many failed attempts for this username; retry in " +
                               std::to_string(decision.retry_after.count()) + " s",
                           decision.retry_after);
}

Result<Session> UserService::Register(std::string_view name, std::string_view password) {
  if (Status s = ValidateUsername(name); !s.ok()) return s;
  if (Status s = ValidatePassword(password); !s.ok()) return s;
  auto id = repository_.Create(name, hasher_.Hash(password), NowMs());
  if (!id.ok()) return id.status();
  committed_.Committed();
  static auto& registrations = metrics::Counter("reel_registrations_total", "Accounts registered.");
  registrations.Increment();
  return sessions_.Open(*id, true);
}

Result<Session> UserService::Login(const LoginInput& input) {
  auto found = repository_.FindCredentials(input.name);
  // A device token counts only for the user the name belongs to; any other is ignored, so
  // a stale or foreign one costs its holder nothing but the ordinary limits.
  std::string device;
  if (found && !input.device_token.empty()) {
    auto claims = signer_.Verify(input.device_token, auth::TokenType::kDevice);
    if (claims.ok() && claims->user_id == found->user.id) device = claims->binding.device_id;
  }
  const LoginAttempt attempt{input.name, input.client_address, device};
  static auto& logins = metrics::CounterFamily("reel_logins_total", "Logins by outcome.");
  if (auto d = failed_logins_.Check(attempt); !d.allowed) {
    logins.Add({{"outcome", "throttled"}}).Increment();
    return Throttled(d);
  }
  const bool verified = found ? hasher_.Verify(found->password_hash, input.password)
                              : (hasher_.VerifyDummy(input.password), false);
  if (!verified) {
    failed_logins_.Failed(attempt);
    logins.Add({{"outcome", "refused"}}).Increment();
    return Unauthenticated("LOGIN_FAILED", "incorrect username or password");
  }
  logins.Add({{"outcome", "ok"}}).Increment();
  return sessions_.Open(found->user.id, true);
}

Result<Session> UserService::Refresh(std::string_view refresh_token) {
  return sessions_.Refresh(refresh_token);
}

Result<LogoutOutcome> UserService::Logout(std::string_view access_token,
                                          std::string_view refresh_token) {
  return sessions_.Logout(access_token, refresh_token);
}

Result<Session> UserService::ChangePassword(std::int64_t user_id, std::string_view old_password,
                                            std::string_view new_password,
                                            std::string_view client_address) {
  if (Status s = ValidatePassword(new_password); !s.ok()) return s;
  const std::string key = PasswordChangeKey(user_id);
  const LoginAttempt attempt{key, client_address, {}};
  if (auto d = failed_logins_.Check(attempt); !d.allowed) return Throttled(d);
  auto found = repository_.FindCredentialsById(user_id);
  if (!found) return UserNotFound(user_id);
  if (!hasher_.Verify(found->password_hash, old_password)) {
    failed_logins_.Failed(attempt);
    return PermissionDenied("PASSWORD_INCORRECT", "the current password is not correct");
  }
  auto session = session_store_.ChangePassword(user_id, hasher_.Hash(new_password), NowMs(),
                                               sessions_.ExpiryFromNowMs());
  if (!session.ok()) return session.status();
  return sessions_.TokensOf(user_id, *session, false);
}

Status UserService::CheckSession(std::int64_t user_id, std::int64_t session_id) {
  return sessions_.Check(user_id, session_id);
}

Result<User> UserService::GetUser(std::int64_t id) {
  auto user = repository_.FindById(id);
  if (!user) return UserNotFound(id);
  return std::move(*user);
}

Result<User> UserService::GetUser(std::int64_t id, const UserLookup& lookup) {
  auto user = repository_.FindById(id);
  // A hidden user reads as one that does not exist: the same answer, so nothing tells them
  // apart.
  if (!user || !lookup.Sees(*user)) return UserNotFound(id);
  return std::move(*user);
}

std::vector<User> UserService::BatchGetUsers(std::span<const std::int64_t> ids,
                                             const UserLookup& lookup) {
  std::vector<User> found = repository_.FindByIds(ids);
  std::unordered_map<std::int64_t, const User*> by_id;
  for (const User& u : found) {
    if (lookup.Sees(u)) by_id.emplace(u.id, &u);
  }
  std::vector<User> ordered;
  ordered.reserve(ids.size());
  for (std::int64_t id : ids) {
    if (auto it = by_id.find(id); it != by_id.end()) ordered.push_back(*it->second);
  }
  return ordered;
}

Result<User> UserService::SetRole(std::int64_t user_id, std::string_view role) {
  if (role != kRoleUser && role != kRoleModerator) {
    return InvalidArgument("ROLE_INVALID", "role must be \"user\" or \"moderator\"");
  }
  return repository_.SetRole(user_id, role);
}

Result<User> UserService::SetHidden(std::int64_t user_id, bool hidden) {
  auto user = repository_.SetHidden(user_id, hidden);
  if (user.ok()) committed_.Committed();
  return user;
}

Result<User> UserService::UpdateProfile(std::int64_t user_id, const ProfileUpdate& update) {
  if (Status s = ValidateProfileUpdate(update); !s.ok()) return s;
  auto user = repository_.UpdateProfile(user_id, update);
  if (user.ok()) committed_.Committed();
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
