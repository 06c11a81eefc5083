#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "feed/domain/hot_ranking.hpp"
#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"

namespace reel::feed {

/// One page of the hot feed.
struct HotPage {
  std::vector<std::int64_t> video_ids;
  std::string next_cursor;  // "" at the end
};

/// The hot feed, paged over frozen rankings.
///
/// Scores move with every like and every hour, so paging over live scores would repeat and
/// skip videos. Instead a ranking is computed at most once per `refresh_after` and kept, as
/// a list of ids, for `keep_for`; a cursor names its ranking and an offset into it, so a
/// client that follows cursors sees each video once. A cursor whose ranking has been
/// dropped (too old, or the process restarted) continues at the same offset of the newest
/// ranking. Thread-safe; one ranking is gathered at a time.
class HotSnapshots {
 public:
  struct Options {
    std::chrono::milliseconds refresh_after{std::chrono::seconds(30)};
    /// After MarkStale, a ranking at least this old is made anew at the next page.
    std::chrono::milliseconds stale_after{std::chrono::seconds(2)};
    std::chrono::milliseconds keep_for{std::chrono::minutes(30)};
    std::size_t max_videos = 1000;  // a ranking's length; the feed ends there
  };
  /// Collects the candidates with their counts (from the video, favorite and comment
  /// services). Its error is the page's error.
  using Gather = std::function<Result<std::vector<HotCandidate>>()>;

  HotSnapshots(Gather gather, const Clock& clock, Options options);
  HotSnapshots(Gather gather, const Clock& clock) : HotSnapshots(std::move(gather), clock, {}) {}

  /// The counts moved (a like, a comment, a new or deleted video: the hot ranking's events):
  /// the next page makes a new ranking once the newest is `stale_after` old, rather than
  /// `refresh_after`. Cheap; safe from any thread.
  void MarkStale() { stale_ = true; }

  /// `cursor`: "" for the first page, then the previous page's next_cursor.
  /// Errors: PARAM_INVALID for a cursor this feed did not make; the gatherer's errors.
  Result<HotPage> Page(std::string_view cursor, int limit);

 private:
  struct Ranking {
    std::int64_t id = 0;  // the ms it was made at, unique and increasing
    std::chrono::steady_clock::time_point made_at;
    std::vector<std::int64_t> video_ids;
  };
  using RankingPtr = std::shared_ptr<const Ranking>;

  /// The newest ranking, made anew when it is older than refresh_after.
  Result<RankingPtr> Current();
  RankingPtr Find(std::int64_t id);

  Gather gather_;
  const Clock& clock_;
  Options options_;
  std::mutex gather_mutex_;  // one gatherer at a time; the others then use its ranking
  std::mutex mutex_;         // guards rankings_
  std::map<std::int64_t, RankingPtr> rankings_;
  std::atomic<bool> stale_{false};
};

}  // namespace reel::feed
