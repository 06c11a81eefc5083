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
)sql"},
};

}  // namespace

std::span<const db::Migration> UserSqliteMigrations() {
  return kMigrations;
}

}  // namespace reel::user
