#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kit/status/status.hpp"
#include "user/domain/user.hpp"

namespace reel::user {

/// Storage of users. Names are unique regardless of ASCII case. The writes that others
/// hear of record their event in the same transaction (the store's outbox): Create
/// USER_REGISTERED, UpdateProfile and SetHidden USER_UPDATED.
/// Implementations are thread-safe.
class UserRepository {
 public:
  virtual ~UserRepository() = default;

  /// Stores a new user and returns its id (positive, below 2^53).
  /// Errors: USERNAME_TAKEN (ALREADY_EXISTS).
  virtual Result<std::int64_t> Create(std::string_view name, std::string_view password_hash,
                                      std::int64_t created_at_ms) = 0;

  virtual std::optional<UserCredentials> FindCredentials(std::string_view name) = 0;
  virtual std::optional<UserCredentials> FindCredentialsById(std::int64_t id) = 0;
  virtual std::optional<User> FindById(std::int64_t id) = 0;
  /// The users that exist among `ids`, in no particular order.
  virtual std::vector<User> FindByIds(std::span<const std::int64_t> ids) = 0;

  /// Applies `update` to user `id` in one transaction (fields left out stay as they are)
  /// and returns the user as stored. Errors: USERNAME_TAKEN (ALREADY_EXISTS, the name is
  /// someone else's in any ASCII case), USER_NOT_FOUND (NOT_FOUND).
  virtual Result<User> UpdateProfile(std::int64_t id, const ProfileUpdate& update) = 0;

  /// Up to `limit` ids above `after_id`, ascending.
  virtual std::vector<std::int64_t> ListIds(std::int64_t after_id, int limit) = 0;

  /// Sets user `id`'s role ("user" or "moderator", checked by the caller) and returns the
  /// user as stored. Errors: USER_NOT_FOUND.
  virtual Result<User> SetRole(std::int64_t id, std::string_view role) = 0;
  /// Hides or shows user `id` and returns the user as stored. Errors: USER_NOT_FOUND.
  virtual Result<User> SetHidden(std::int64_t id, bool hidden) = 0;
};

}  // namespace reel::user
