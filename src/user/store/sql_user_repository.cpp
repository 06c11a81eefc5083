#include "user/store/sql_user_repository.hpp"

#include <string>

namespace reel::user {
namespace {

constexpr std::string_view kUserColumns =
    "id, name, avatar, background_image, signature, created_at_ms, role, hidden";

// Reads kUserColumns starting at column `first`.
User ReadUser(const db::Statement& row, int first = 0) {
  return User{row.Int(first),      row.Text(first + 1),    row.Text(first + 2),
              row.Text(first + 3), row.Text(first + 4),    row.Int(first + 5),
              row.Text(first + 6), row.Int(first + 7) != 0};
}

// "?,?,?" for n placeholders.
std::string Placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

// Binds an optional text as itself or NULL (NULL keeps the column: see UpdateProfile).
void BindOptional(db::Statement& stmt, int index, const std::optional<std::string>& value) {
  if (value) {
    stmt.Bind(index, *value);
  } else {
    stmt.BindNull(index);
  }
}

// The user as stored, read back inside the caller's write after its UPDATE (MariaDB has no
// UPDATE ... RETURNING); NOT_FOUND when the id names no user.
Result<User> ReadBack(db::Connection& conn, std::int64_t id) {
  auto row = conn.Prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE id = ?");
  row.BindAll(id);
  if (!row.Step()) {
    return NotFound("USER_NOT_FOUND", "user " + std::to_string(id) + " does not exist");
  }
  User user = ReadUser(row);
  row.Run();
  return user;
}

events::Event Updated(std::int64_t id) {
  return events::MakeEvent(events::EventKind::kUserUpdated, id, id, 0);
}

Status NameTaken(std::string_view name) {
  return AlreadyExists("USERNAME_TAKEN", "username '" + std::string(name) + "' is already taken");
}

}  // namespace

template <typename Value>
Result<User> SqlUserRepository::SetColumn(std::int64_t id, std::string_view column,
                                          const Value& value, bool record_update) {
  return db_.Write([&](db::Connection& conn) -> Result<User> {
    conn.Prepare("UPDATE users SET " + std::string(column) + " = ? WHERE id = ?")
        .BindAll(value, id)
        .Run();
    auto user = ReadBack(conn, id);
    if (user.ok() && record_update) events::Record(outbox_, conn, Updated(id));
    return user;
  });
}

Result<std::int64_t> SqlUserRepository::Create(std::string_view name,
                                               std::string_view password_hash,
                                               std::int64_t created_at_ms) {
  try {
    return db_.Write([&](db::Connection& conn) -> Result<std::int64_t> {
      conn.Prepare("INSERT INTO users (name, password_hash, created_at_ms) VALUES (?, ?, ?)")
          .BindAll(name, password_hash, created_at_ms)
          .Run();
      const std::int64_t id = conn.LastInsertId();
      events::Record(outbox_, conn,
                     events::MakeEvent(events::EventKind::kUserRegistered, id, id, created_at_ms));
      return id;
    });
  } catch (const db::Error& e) {
    if (!e.IsUniqueViolation()) throw;
    return NameTaken(name);
  }
}

std::optional<UserCredentials> SqlUserRepository::FindCredentials(std::string_view name) {
  return db_.Read([&](db::Connection& conn) -> std::optional<UserCredentials> {
    auto row = conn.Prepare("SELECT " + std::string(kUserColumns) +
                            ", password_hash FROM users WHERE name = ?");
    row.BindAll(name);
    if (!row.Step()) return std::nullopt;
    return UserCredentials{ReadUser(row), row.Text(8)};
  });
}

std::optional<UserCredentials> SqlUserRepository::FindCredentialsById(std::int64_t id) {
  return db_.Read([&](db::Connection& conn) -> std::optional<UserCredentials> {
    auto row = conn.Prepare("SELECT " + std::string(kUserColumns) +
                            ", password_hash FROM users WHERE id = ?");
    row.BindAll(id);
    if (!row.Step()) return std::nullopt;
    return UserCredentials{ReadUser(row), row.Text(8)};
  });
}

std::optional<User> SqlUserRepository::FindById(std::int64_t id) {
  return db_.Read([&](db::Connection& conn) -> std::optional<User> {
    auto row = conn.Prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE id = ?");
    row.BindAll(id);
    if (!row.Step()) return std::nullopt;
    return ReadUser(row);
  });
}

std::vector<User> SqlUserRepository::FindByIds(std::span<const std::int64_t> ids) {
  std::vector<User> users;
  if (ids.empty()) return users;
  // One statement per distinct batch size keeps the statement cache small and the lookup a
  // single round trip; pages are at most a few dozen ids.
  constexpr std::size_t kChunk = 64;
  db_.Read([&](db::Connection& conn) {
    for (std::size_t at = 0; at < ids.size(); at += kChunk) {
      const auto chunk = ids.subspan(at, std::min(kChunk, ids.size() - at));
      auto rows = conn.Prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE id IN (" +
                               Placeholders(chunk.size()) + ")");
      for (std::size_t i = 0; i < chunk.size(); ++i) rows.Bind(static_cast<int>(i + 1), chunk[i]);
      while (rows.Step()) users.push_back(ReadUser(rows));
    }
  });
  return users;
}

Result<User> SqlUserRepository::UpdateProfile(std::int64_t id, const ProfileUpdate& update) {
  try {
    return db_.Write([&](db::Connection& conn) -> Result<User> {
      // One statement: the unique index on name (case-insensitive) decides a rename race,
      // and a refusal leaves every column as it was.
      auto update_row = conn.Prepare(
          "UPDATE users SET name = COALESCE(?, name), signature = COALESCE(?, signature), "
          "avatar = COALESCE(?, avatar), background_image = COALESCE(?, background_image) "
          "WHERE id = ?");
      BindOptional(update_row, 1, update.name);
      BindOptional(update_row, 2, update.signature);
      BindOptional(update_row, 3, update.avatar_key);
      BindOptional(update_row, 4, update.background_key);
      update_row.Bind(5, id);
      update_row.Run();
      auto user = ReadBack(conn, id);
      if (user.ok()) events::Record(outbox_, conn, Updated(id));
      return user;
    });
  } catch (const db::Error& e) {
    if (!e.IsUniqueViolation()) throw;
    return NameTaken(update.name.value_or(""));
  }
}

Result<User> SqlUserRepository::SetRole(std::int64_t id, std::string_view role) {
  return SetColumn(id, "role", std::string(role), /*record_update=*/false);
}

Result<User> SqlUserRepository::SetHidden(std::int64_t id, bool hidden) {
  return SetColumn(id, "hidden", std::int64_t{hidden ? 1 : 0}, /*record_update=*/true);
}

std::vector<std::int64_t> SqlUserRepository::ListIds(std::int64_t after_id, int limit) {
  return db_.Read([&](db::Connection& conn) {
    std::vector<std::int64_t> ids;
    auto rows = conn.Prepare("SELECT id FROM users WHERE id > ? ORDER BY id LIMIT ?");
    rows.BindAll(after_id, limit);
    while (rows.Step()) ids.push_back(rows.Int(0));
    return ids;
  });
}

}  // namespace reel::user
