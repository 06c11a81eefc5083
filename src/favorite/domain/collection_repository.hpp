#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "favorite/domain/favorite.hpp"

namespace reel::favorite {

/// Storage of bookmarks (收藏), shares, their per-video counters and each user's collection
/// setting. Like FavoriteRepository, a counter moves in the transaction that inserts or
/// deletes its row and only when a row really was, so retries and races cannot make it drift.
/// Implementations are thread-safe.
class CollectionRepository {
 public:
  virtual ~CollectionRepository() = default;

  /// Bookmarks the video for the user and counts it. False, and nothing changes, when the
  /// user already has it bookmarked.
  virtual bool AddBookmark(std::int64_t user_id, std::int64_t video_id,
                           std::int64_t created_at_ms) = 0;
  /// Removes the bookmark and uncounts it. False, and nothing changes, when there was none.
  virtual bool RemoveBookmark(std::int64_t user_id, std::int64_t video_id) = 0;

  /// The user's bookmarks with bookmark_id < before_id (0: no bound), newest first, at most
  /// `limit`.
  virtual std::vector<Bookmark> ListBookmarks(std::int64_t user_id, std::int64_t before_id,
                                              int limit) = 0;

  /// Records a share of the video by the user on UTC day `day` (days since the epoch); it
  /// counts into share_count only when it is the first of that user, video and day.
  virtual ShareOutcome AddShare(std::int64_t user_id, std::int64_t video_id, std::int64_t day) = 0;

  /// Removes every bookmark and share of the video (it was deleted) and its counters. One
  /// transaction. Returns how many rows went: 0, and nothing changes, when there were none.
  virtual std::int64_t RemoveCollectionsOfVideo(std::int64_t video_id) = 0;

  /// Counters per video; a video never bookmarked nor shared may be absent (read it as zero).
  virtual std::unordered_map<std::int64_t, VideoCollectionCounts> CountsByVideos(
      std::span<const std::int64_t> video_ids) = 0;
  /// The videos among `video_ids` that `user_id` has bookmarked.
  virtual std::unordered_set<std::int64_t> CollectedAmong(
      std::int64_t user_id, std::span<const std::int64_t> video_ids) = 0;

  /// Whether the user made their collection list public (false when never set).
  virtual bool CollectionsPublic(std::int64_t user_id) = 0;
  virtual void SetCollectionsPublic(std::int64_t user_id, bool is_public) = 0;

  /// Sets every video_collection_counts.collect_count that differs from a count of the
  /// bookmarks to that count (a missing row reads as zero), in one write transaction.
  /// share_count is not checked: shares keeps only each pair's latest day, so no rows say
  /// what it must be. Idempotent.
  virtual std::vector<CounterRepair> ReconcileCounters() = 0;
};

}  // namespace reel::favorite
