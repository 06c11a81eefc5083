#pragma once

#include <span>
#include <string_view>

#include "kit/db/database.hpp"
#include "kit/status/status.hpp"

namespace reel::db {

/// One step of a component's schema, in each engine's dialect. Versions start at 1 and
/// increase by one; a released migration never changes (add a new one instead). Both texts
/// describe the same tables, indexes and constraints, so repositories run unchanged on
/// either; `mysql` is applied statement by statement (MySQL commits DDL as it goes).
struct Migration {
  int version;
  std::string_view description;
  std::string_view sqlite;
  std::string_view mysql;
};

/// Applies the migrations of `component` ("user") that the database has not seen yet, each
/// in its own transaction, recording them in `schema_migrations`. Refuses to run against a
/// database that a newer binary has migrated further. Idempotent, and safe when several
/// processes start at once (MySQL: under a named lock).
Status ApplyMigrations(Database& db, std::string_view component,
                       std::span<const Migration> migrations);

/// The highest applied version of `component` (0 when none).
int CurrentVersion(Database& db, std::string_view component);

}  // namespace reel::db
