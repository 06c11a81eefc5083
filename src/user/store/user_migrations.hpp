#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::user {

/// The user service's schema (SQLite and MySQL dialects), in order.
std::span<const db::Migration> UserMigrations();

}  // namespace reel::user
