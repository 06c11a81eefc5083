#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::favorite {

/// The favorite service's SQLite schema, in order (component "favorite").
std::span<const db::Migration> FavoriteSqliteMigrations();

}  // namespace reel::favorite
