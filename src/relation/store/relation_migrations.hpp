#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::relation {

/// The relation service's schema (SQLite and MySQL dialects), in order (component "relation").
std::span<const db::Migration> RelationMigrations();

}  // namespace reel::relation
