#include "user/store/sql_session_repository.hpp"

#include <string>

namespace reel::user {
namespace {

// Opens a session inside the caller's transaction, dropping the user's expired ones first.
std::int64_t InsertSession(db::Connection& conn, std::int64_t user_id, std::int64_t now_ms,
                           std::int64_t expires_at_ms) {
  conn.Prepare("DELETE FROM sessions WHERE user_id = ? AND expires_at_ms < ?")
      .BindAll(user_id, now_ms)
      .Run();
  conn.Prepare(
          "INSERT INTO sessions (user_id, created_at_ms, last_used_at_ms, expires_at_ms) "
          "VALUES (?, ?, ?, ?)")
      .BindAll(user_id, now_ms, now_ms, expires_at_ms)
      .Run();
  return conn.LastInsertId();
}

}  // namespace

std::int64_t SqlSessionRepository::Create(std::int64_t user_id, std::int64_t now_ms,
                                          std::int64_t expires_at_ms) {
  return db_.Write(
      [&](db::Connection& conn) { return InsertSession(conn, user_id, now_ms, expires_at_ms); });
}

std::optional<StoredSession> SqlSessionRepository::Find(std::int64_t id) {
  return db_.Read([&](db::Connection& conn) -> std::optional<StoredSession> {
    auto row = conn.Prepare(
        "SELECT id, user_id, generation, created_at_ms, last_used_at_ms, expires_at_ms, "
        "revoked_at_ms FROM sessions WHERE id = ?");
    row.BindAll(id);
    if (!row.Step()) return std::nullopt;
    return StoredSession{row.Int(0), row.Int(1), row.Int(2), row.Int(3),
                         row.Int(4), row.Int(5), row.Int(6)};
  });
}

bool SqlSessionRepository::Rotate(std::int64_t id, std::int64_t generation, std::int64_t now_ms,
                                  std::int64_t expires_at_ms) {
  return db_.Write([&](db::Connection& conn) {
    // The generation in the WHERE clause makes the check and the move one step: of two
    // uses of the same refresh token, exactly one moves it.
    conn.Prepare(
            "UPDATE sessions SET generation = generation + 1, last_used_at_ms = ?, "
            "expires_at_ms = ? WHERE id = ? AND generation = ? AND revoked_at_ms = 0")
        .BindAll(now_ms, expires_at_ms, id, generation)
        .Run();
    return conn.Changes() == 1;
  });
}

bool SqlSessionRepository::Revoke(std::int64_t id, std::int64_t now_ms) {
  return db_.Write([&](db::Connection& conn) {
    conn.Prepare("UPDATE sessions SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms = 0")
        .BindAll(now_ms, id)
        .Run();
    return conn.Changes() == 1;
  });
}

std::vector<std::int64_t> SqlSessionRepository::SessionsOf(std::int64_t user_id) {
  return db_.Read([&](db::Connection& conn) {
    auto row = conn.Prepare("SELECT id FROM sessions WHERE user_id = ? ORDER BY id");
    row.BindAll(user_id);
    std::vector<std::int64_t> ids;
    while (row.Step()) ids.push_back(row.Int(0));
    return ids;
  });
}

Result<std::int64_t> SqlSessionRepository::ChangePassword(std::int64_t user_id,
                                                          std::string_view password_hash,
                                                          std::int64_t now_ms,
                                                          std::int64_t expires_at_ms) {
  return db_.Write([&](db::Connection& conn) -> Result<std::int64_t> {
    conn.Prepare("UPDATE users SET password_hash = ? WHERE id = ?")
        .BindAll(password_hash, user_id)
        .Run();
    if (conn.Changes() != 1) {
      return NotFound("USER_NOT_FOUND", "user " + std::to_string(user_id) + " does not exist");
    }
    conn.Prepare("UPDATE sessions SET revoked_at_ms = ? WHERE user_id = ? AND revoked_at_ms = 0")
        .BindAll(now_ms, user_id)
        .Run();
    return InsertSession(conn, user_id, now_ms, expires_at_ms);
  });
}

}  // namespace reel::user
