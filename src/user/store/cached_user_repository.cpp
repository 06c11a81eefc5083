#include "user/store/cached_user_repository.hpp"

namespace reel::user {

cache::SharedBinding<std::int64_t, User> CachedUserRepository::UsersShared(
    cache::SharedTier* tier) {
  return cache::IdKeyedFields<User>(tier, "user.users", 1, [](auto& io, auto& user) {
    io.Field(user.id);
    io.Field(user.name);
    io.Field(user.avatar);
    io.Field(user.background_image);
    io.Field(user.signature);
    io.Field(user.created_at_ms);
    io.Field(user.role);
    io.Field(user.hidden);
  });
}

Result<std::int64_t> CachedUserRepository::Create(std::string_view name,
                                                  std::string_view password_hash,
                                                  std::int64_t created_at_ms) {
  auto id = store_.Create(name, password_hash, created_at_ms);
  if (id.ok()) users_.Invalidate(*id);
  return id;
}

std::optional<User> CachedUserRepository::FindById(std::int64_t id) {
  return users_.Get(id, [&](std::int64_t key) { return store_.FindById(key); });
}

std::vector<User> CachedUserRepository::FindByIds(std::span<const std::int64_t> ids) {
  auto found = users_.GetMany(ids, [&](std::span<const std::int64_t> missing) {
    cache::InvalidatingCache<std::int64_t, User>::Map loaded;
    for (User& user : store_.FindByIds(missing)) {
      const std::int64_t id = user.id;
      loaded.insert_or_assign(id, std::move(user));
    }
    return loaded;
  });
  std::vector<User> users;
  users.reserve(found.size());
  for (auto& entry : found) users.push_back(std::move(entry.second));
  return users;
}

Result<User> CachedUserRepository::UpdateProfile(std::int64_t id, const ProfileUpdate& update) {
  auto updated = store_.UpdateProfile(id, update);
  // Also on failure: invalidating costs one reload, and a caller never sees a stale profile
  // even if a store reported an error after it had committed.
  users_.Invalidate(id);
  return updated;
}

Result<User> CachedUserRepository::SetRole(std::int64_t id, std::string_view role) {
  auto updated = store_.SetRole(id, role);
  users_.Invalidate(id);  // as UpdateProfile: whatever the outcome
  return updated;
}

Result<User> CachedUserRepository::SetHidden(std::int64_t id, bool hidden) {
  auto updated = store_.SetHidden(id, hidden);
  users_.Invalidate(id);
  return updated;
}

}  // namespace reel::user
