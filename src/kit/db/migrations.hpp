#pragma once

#include <span>
#include <string_view>

#include "kit/db/sqlite.hpp"
#include "kit/status/status.hpp"

namespace reel::db {

/// One step of a component's schema. Versions start at 1 and increase by one; a released
/// migration never changes (add a new one instead).
struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

/// Applies the migrations of `component` ("user") that the database has not seen yet, each
/// in its own transaction, recording them in `schema_migrations`. Refuses to run against a
/// database that a newer binary has migrated further. Idempotent.
Status ApplyMigrations(SqliteDb& db, std::string_view component,
                       std::span<const Migration> migrations);

/// The highest applied version of `component` (0 when none).
int CurrentVersion(SqliteDb& db, std::string_view component);

}  // namespace reel::db
