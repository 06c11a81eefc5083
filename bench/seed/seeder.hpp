#pragma once

#include <string>
#include <vector>

#include "kit/auth/password_hasher.hpp"
#include "kit/db/sqlite.hpp"
#include "seed/bulk_load.hpp"
#include "seed/progress.hpp"

namespace reel::bench {

inline constexpr std::string_view kDefaultPassword = "bench-password";

struct SeedRequest {
  std::string data_dir;
  SeedPlan plan;
  /// A video file to store as the one media object; empty: make a 3 s clip with ffmpeg.
  std::string clip;
  std::string password{kDefaultPassword};
  /// The cost of the shared password hash (tests lower it; login verifies with the hash's own).
  auth::Argon2Params argon2;
};

struct SeedOutcome {
  SeedFacts facts;
  std::string media_key;
  std::string cover_key;
};

/// Seeds `request.data_dir` (created if needed; it must hold no reel.db yet) for `reel all`:
/// applies the services' real migrations to <data_dir>/reel.db, stores one clip through the
/// video service's own ingest (probe, cover, faststart) into <data_dir>/media, bulk-loads the
/// rows with the journal and fsync off, then returns the database to WAL mode. Leaves the
/// search index alone (see CreateEmptySearchIndex). Throws std::runtime_error.
SeedOutcome SeedDataDir(const SeedRequest& request, Progress& progress);

/// Creates an empty search index at <data_dir>/search, so `reel all` starts at once instead
/// of indexing every video first (searches then find nothing until `reel reindex`).
void CreateEmptySearchIndex(const std::string& data_dir);

/// Applies every service's migrations (user, video, favorite, comment, relation), as
/// `reel all` does at start-up. Throws std::runtime_error.
void ApplySchemas(db::SqliteDb& db);

/// True when every service's schema in `db` is at the version this build knows.
bool SchemasCurrent(db::SqliteDb& db);

/// Each counter that disagrees with its rows, as "what: N mismatched rows" (empty: all
/// agree). Compares both ways: a row count without a counter and a counter without rows.
std::vector<std::string> CounterMismatches(db::Connection& conn);

}  // namespace reel::bench
