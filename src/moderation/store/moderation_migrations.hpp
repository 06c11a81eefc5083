#pragma once

#include <span>

#include "kit/db/migrations.hpp"

namespace reel::moderation {

/// The moderation service's schema (SQLite and MySQL dialects), in order (component "moderation").
std::span<const db::Migration> ModerationMigrations();

}  // namespace reel::moderation
