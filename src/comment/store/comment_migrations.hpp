#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::comment {

/// The comment service's schema (SQLite and MySQL dialects), in order (component "comment").
std::span<const db::Migration> CommentMigrations();

}  // namespace reel::comment
