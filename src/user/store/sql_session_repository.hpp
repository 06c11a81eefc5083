#pragma once

#include "kit/db/database.hpp"
#include "user/domain/session_repository.hpp"

namespace reel::user {

/// SessionRepository on either engine (kit/db; the `sessions` table of user_migrations.cpp, beside
/// `users`, so a password change and the revocations it causes are one transaction).
class SqlSessionRepository final : public SessionRepository {
 public:
  explicit SqlSessionRepository(db::Database& db) : db_(db) {}

  std::int64_t Create(std::int64_t user_id, std::int64_t now_ms,
                      std::int64_t expires_at_ms) override;
  std::optional<StoredSession> Find(std::int64_t id) override;
  bool Rotate(std::int64_t id, std::int64_t generation, std::int64_t now_ms,
              std::int64_t expires_at_ms) override;
  bool Revoke(std::int64_t id, std::int64_t now_ms) override;
  std::vector<std::int64_t> SessionsOf(std::int64_t user_id) override;
  Result<std::int64_t> ChangePassword(std::int64_t user_id, std::string_view password_hash,
                                      std::int64_t now_ms, std::int64_t expires_at_ms) override;

 private:
  db::Database& db_;
};

}  // namespace reel::user
