#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::favorite {

/// The favorite service's schema (SQLite and MySQL dialects), in order (component "favorite").
std::span<const db::Migration> FavoriteMigrations();

}  // namespace reel::favorite
