#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "favorite/domain/favorite.hpp"

namespace reel::favorite {

/// Storage of likes and of the counters derived from them. Every counter equals what the
/// likes say at every commit: a like and its counter changes are one transaction.
/// Implementations are thread-safe.
class FavoriteRepository {
 public:
  virtual ~FavoriteRepository() = default;

  /// Records `favorite` and counts it for the video, the liker and the author. False, and
  /// nothing changes, when the user already likes the video.
  virtual bool AddFavorite(const Favorite& favorite) = 0;

  /// Removes the user's like of the video and takes it back from the same three counters.
  /// Returns the author the like was counted for; nullopt, and nothing changes, when there
  /// was no such like.
  virtual std::optional<std::int64_t> RemoveFavorite(std::int64_t user_id,
                                                     std::int64_t video_id) = 0;

  /// Removes every like of the video (it was deleted) and takes each back from its liker's
  /// favorite_count and its author's total_favorited; the video's counter goes too. One
  /// transaction. Returns how many likes were removed: 0, and nothing changes, when there
  /// were none (so a repeated delete is harmless).
  virtual std::int64_t RemoveLikesOfVideo(std::int64_t video_id) = 0;

  /// The user's likes with favorite_id < before_id (0: no bound), newest first, at most `limit`.
  virtual std::vector<LikedVideo> ListLiked(std::int64_t user_id, std::int64_t before_id,
                                            int limit) = 0;

  /// Likes per video; a video never liked may be absent (read it as zero).
  virtual std::unordered_map<std::int64_t, std::int64_t> CountByVideos(
      std::span<const std::int64_t> video_ids) = 0;

  /// The videos among `video_ids` that `user_id` likes.
  virtual std::unordered_set<std::int64_t> LikedAmong(std::int64_t user_id,
                                                      std::span<const std::int64_t> video_ids) = 0;

  /// Videos with at least one like, most likes first, equal counts higher video id first;
  /// at most `limit` (positive).
  virtual std::vector<VideoLikeCount> MostLiked(int limit) = 0;

  /// Counters per user; a user never involved in a like may be absent (read it as zero).
  virtual std::unordered_map<std::int64_t, UserFavoriteStat> CountByUsers(
      std::span<const std::int64_t> user_ids) = 0;

  /// Sets every like counter that differs from a count of the likes to that count, one
  /// write transaction per counter: video_favorite_counts.favorite_count,
  /// user_favorite_counts.favorite_count and user_favorite_counts.total_favorited, in that
  /// order. A missing counter row reads as zero (one is created only for a non-zero count).
  /// Idempotent: a second run fixes nothing.
  virtual std::vector<CounterRepair> ReconcileCounters() = 0;
};

}  // namespace reel::favorite
