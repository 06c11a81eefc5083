#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::moderation {

/// The moderation service's SQLite schema, in order (component "moderation").
std::span<const db::Migration> ModerationSqliteMigrations();

}  // namespace reel::moderation
