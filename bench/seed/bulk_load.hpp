#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kit/db/sqlite.hpp"
#include "seed/progress.hpp"

namespace reel::bench {

/// What to seed. Users are named user<id> and all share one password; the last
/// `action_users` users like and follow nobody, so a benchmark's likes by them always
/// change a row.
struct SeedPlan {
  std::int64_t users = 100'000;
  std::int64_t videos = 10'000;
  std::int64_t likes = 10'000'000;
  std::int64_t comments = 1'000'000;
  std::int64_t follows = 1'000'000;
  std::int64_t action_users = 200;
  std::uint64_t seed = 1;
  /// The newest video's created_at; the others are spread over the year before it.
  std::int64_t now_ms = 0;
};

/// Why the plan cannot be seeded (more likes than distinct user-video pairs, ...), or "".
std::string PlanProblem(const SeedPlan& plan);

/// What the load produced, for the benchmark scripts and the summary.
struct SeedFacts {
  std::int64_t busiest_author = 0;  ///< the user with the most videos
  std::int64_t busiest_author_videos = 0;
  std::int64_t most_liked_video = 0;
  std::int64_t most_commented_video = 0;
  std::int64_t most_followed_user = 0;
  std::int64_t first_action_user = 0;      ///< action users are first_action_user..users
  std::vector<std::int64_t> some_authors;  ///< up to 200 users with at least one video
  std::vector<std::pair<std::string, double>> stage_seconds;
};

/// Fills a migrated, empty database through `conn` (the only connection open on it) with
/// the plan's rows, every counter table equal to what the rows imply. Secondary indexes are
/// dropped during the load and rebuilt (from their own CREATE statements) at the end, which
/// is much faster than keeping them up to date row by row. Throws db::SqliteError.
SeedFacts LoadRows(db::Connection& conn, const SeedPlan& plan, std::string_view password_hash,
                   std::string_view media_key, Progress& progress);

/// The name of seeded user `id`.
std::string SeedUserName(std::int64_t id);

}  // namespace reel::bench
