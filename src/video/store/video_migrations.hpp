#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::video {

/// The video service's schema (SQLite and MySQL dialects), in order.
std::span<const db::Migration> VideoMigrations();

}  // namespace reel::video
