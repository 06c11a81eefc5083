#pragma once

#include "kit/db/database.hpp"
#include "kit/events/outbox.hpp"
#include "user/domain/user_repository.hpp"

namespace reel::user {

/// UserRepository on either engine (kit/db; the `users` table of user_migrations.cpp).
/// With an outbox, Create records USER_REGISTERED and UpdateProfile and SetHidden record
/// USER_UPDATED in their own transactions (search re-reads the user).
class SqlUserRepository final : public UserRepository {
 public:
  explicit SqlUserRepository(db::Database& db, const events::Outbox* outbox = nullptr)
      : db_(db), outbox_(outbox) {}

  Result<std::int64_t> Create(std::string_view name, std::string_view password_hash,
                              std::int64_t created_at_ms) override;
  std::optional<UserCredentials> FindCredentials(std::string_view name) override;
  std::optional<UserCredentials> FindCredentialsById(std::int64_t id) override;
  std::optional<User> FindById(std::int64_t id) override;
  std::vector<User> FindByIds(std::span<const std::int64_t> ids) override;
  Result<User> UpdateProfile(std::int64_t id, const ProfileUpdate& update) override;
  std::vector<std::int64_t> ListIds(std::int64_t after_id, int limit) override;
  Result<User> SetRole(std::int64_t id, std::string_view role) override;
  Result<User> SetHidden(std::int64_t id, bool hidden) override;

 private:
  // UPDATE users SET <column> = value for one user, returning the user as stored.
  // With `record_update`, records USER_UPDATED when the user exists.
  template <typename Value>
  Result<User> SetColumn(std::int64_t id, std::string_view column, const Value& value,
                         bool record_update);

  db::Database& db_;
  const events::Outbox* outbox_;
};

}  // namespace reel::user
