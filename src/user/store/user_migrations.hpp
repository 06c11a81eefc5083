#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::user {

/// The user service's SQLite schema, in order.
std::span<const db::Migration> UserSqliteMigrations();

}  // namespace reel::user
