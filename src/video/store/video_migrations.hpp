#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::video {

/// The video service's SQLite schema, in order.
std::span<const db::Migration> VideoSqliteMigrations();

}  // namespace reel::video
