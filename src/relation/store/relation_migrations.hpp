#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::relation {

/// The relation service's SQLite schema, in order (component "relation").
std::span<const db::Migration> RelationSqliteMigrations();

}  // namespace reel::relation
