#pragma once

#include "kit/cache/invalidating_cache.hpp"
#include "user/domain/user_repository.hpp"

namespace reel::user {

/// UserRepository that keeps users' profiles (what FindById and FindByIds return, which every
/// page's author objects need) in memory, in front of another repository that stores them.
/// Ids that name no user are cached as absent. Every write goes through here, so each one
/// invalidates the user it touched after its commit: Create the new id (a reader may have
/// cached it as absent before), UpdateProfile, SetRole and SetHidden its id whatever the outcome.
/// Correct while this process is the only writer of the store, which it is for the embedded store
/// and the one user process of a cluster. Credentials (login) and id listings are read through
/// uncached.
class CachedUserRepository final : public UserRepository {
 public:
  /// `capacity`: users held.
  /// `writes`, when given, advances with every invalidation (see cache::ChangeEpoch).
  /// `shared`, when given, shares the users with the deployment's other processes.
  CachedUserRepository(UserRepository& store, std::size_t capacity,
                       cache::ChangeEpoch* writes = nullptr, cache::SharedTier* shared = nullptr)
      : store_(store), users_(capacity, writes, UsersShared(shared)) {}

  Result<std::int64_t> Create(std::string_view name, std::string_view password_hash,
                              std::int64_t created_at_ms) override;
  std::optional<UserCredentials> FindCredentials(std::string_view name) override {
    return store_.FindCredentials(name);
  }
  std::optional<UserCredentials> FindCredentialsById(std::int64_t id) override {
    return store_.FindCredentialsById(id);
  }
  std::optional<User> FindById(std::int64_t id) override;
  std::vector<User> FindByIds(std::span<const std::int64_t> ids) override;
  Result<User> UpdateProfile(std::int64_t id, const ProfileUpdate& update) override;
  std::vector<std::int64_t> ListIds(std::int64_t after_id, int limit) override {
    return store_.ListIds(after_id, limit);
  }
  Result<User> SetRole(std::int64_t id, std::string_view role) override;
  Result<User> SetHidden(std::int64_t id, bool hidden) override;

 private:
  UserRepository& store_;
  static cache::SharedBinding<std::int64_t, User> UsersShared(cache::SharedTier* tier);

  cache::InvalidatingCache<std::int64_t, User> users_;
};

}  // namespace reel::user
