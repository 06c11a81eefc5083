#include "user/store/cached_user_repository.hpp"

#include "kit/cache/byte_codec.hpp"

namespace reel::user {

cache::SharedBinding<std::int64_t, User> CachedUserRepository::UsersShared(
    cache::SharedTier* tier) {
  static constexpr std::int64_t kFormat = 1;
  return cache::IdKeyed<User>(
      tier, "user.users",
      [](const User& u) {
        return cache::ByteWriter()
            .Int(kFormat)
            .Int(u.id)
            .Str(u.name)
            .Str(u.avatar)
            .Str(u.background_image)
            .Str(u.signature)
            .Int(u.created_at_ms)
            .Str(u.role)
            .Bool(u.hidden)
            .Take();
      },
      [](std::string_view bytes) -> std::optional<User> {
        cache::ByteReader in(bytes);
        if (in.Int() != kFormat) return std::nullopt;
        User u;
        u.id = in.Int().value_or(0);
        u.name = in.Str().value_or("");
        u.avatar = in.Str().value_or("");
        u.background_image = in.Str().value_or("");
        u.signature = in.Str().value_or("");
        u.created_at_ms = in.Int().value_or(0);
        u.role = in.Str().value_or("");
        u.hidden = in.Bool().value_or(false);
        if (!in.ok()) return std::nullopt;
        return u;
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
