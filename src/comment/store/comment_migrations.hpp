#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::comment {

/// The comment service's SQLite schema, in order (component "comment").
std::span<const db::Migration> CommentSqliteMigrations();

}  // namespace reel::comment
