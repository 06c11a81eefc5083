#include "user/store/user_migrations.hpp"

namespace reel::user {
namespace {

constexpr db::Migration kMigrations[] = {
    {1, "users", R"sql(
CREATE TABLE users (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  name             TEXT    NOT NULL COLLATE NOCASE UNIQUE,
  password_hash    TEXT    NOT NULL,
  avatar           TEXT    NOT NULL DEFAULT '',
  background_image TEXT    NOT NULL DEFAULT '',
  signature        TEXT    NOT NULL DEFAULT '',
  created_at_ms    INTEGER NOT NULL
);
)sql",
     // Names compare case-insensitively as SQLite's NOCASE does, and without trailing-space
     // padding. Difference: NOCASE folds ASCII letters only, uca1400_nopad_as_ci folds the
     // case of every letter (so "É" and "é" are one name here, two in SQLite); accents stay
     // distinct on both. The app accepts names of up to 32 code points.
     R"sql(
CREATE TABLE users (
  id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name             VARCHAR(64)  NOT NULL COLLATE utf8mb4_uca1400_nopad_as_ci,
  password_hash    TEXT         NOT NULL,
  avatar           TEXT         NOT NULL DEFAULT '',
  background_image TEXT         NOT NULL DEFAULT '',
  signature        TEXT         NOT NULL DEFAULT '',
  created_at_ms    BIGINT       NOT NULL,
  UNIQUE KEY users_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql"},
    // Sessions (refresh-token families): rotation, reuse detection, logout. Rows are
    // dropped a while after their last refresh token expires (SqlSessionRepository).
    {2, "sessions", R"sql(
CREATE TABLE sessions (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id         INTEGER NOT NULL,
  generation      INTEGER NOT NULL DEFAULT 1 CHECK (generation >= 1),
  created_at_ms   INTEGER NOT NULL,
  last_used_at_ms INTEGER NOT NULL,
  expires_at_ms   INTEGER NOT NULL,
  revoked_at_ms   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_user ON sessions (user_id, expires_at_ms);
)sql",
     R"sql(
CREATE TABLE sessions (
  id              BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id         BIGINT NOT NULL,
  generation      BIGINT NOT NULL DEFAULT 1 CHECK (generation >= 1),
  created_at_ms   BIGINT NOT NULL,
  last_used_at_ms BIGINT NOT NULL,
  expires_at_ms   BIGINT NOT NULL,
  revoked_at_ms   BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX sessions_by_user ON sessions (user_id, expires_at_ms)
)sql"},
    // Issue 16: the moderator role (granted at run time) and users hidden pending review.
    // Existing users are plain, visible users.
    {3, "users role and hidden", R"sql(
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user'
  CHECK (role IN ('user', 'moderator'));
ALTER TABLE users ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));
)sql",
     R"sql(
ALTER TABLE users ADD COLUMN role VARCHAR(16) NOT NULL DEFAULT 'user'
  CHECK (role IN ('user', 'moderator'));
ALTER TABLE users ADD COLUMN hidden BIGINT NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1))
)sql"},
};

}  // namespace

std::span<const db::Migration> UserMigrations() {
  return kMigrations;
}

}  // namespace reel::user
