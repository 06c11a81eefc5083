#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>

#include "favorite/domain/favorite.hpp"
#include "favorite/domain/favorite_repository.hpp"
#include "favorite/domain/video_directory.hpp"
#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"

namespace reel::favorite {

/// The favorite use cases: liking and unliking videos (idempotently), listing what a user
/// liked, and the like counters of videos and users. Thread-safe.
class FavoriteService {
 public:
  static constexpr int kDefaultPageSize = 30;
  static constexpr int kMaxPageSize = 100;

  FavoriteService(FavoriteRepository& repository, VideoDirectory& videos, const Clock& clock);

  /// Makes `user_id` like `video_id`; true when this call added the like, false when it
  /// already existed. Liking one's own video counts like any other like.
  /// Errors: USER_ID_INVALID (INVALID_ARGUMENT), VIDEO_NOT_FOUND (NOT_FOUND).
  Result<bool> Like(std::int64_t user_id, std::int64_t video_id);

  /// Takes the like back; true when this call removed it, false when there was none.
  /// Works for a video that no longer exists. Errors: USER_ID_INVALID.
  Result<bool> Unlike(std::int64_t user_id, std::int64_t video_id);

  /// The user's liked videos, newest like first. cursor: 0 (or less) for the first page,
  /// then the previous page's next_cursor. limit 0 means kDefaultPageSize; others are
  /// clamped to 1..kMaxPageSize.
  LikedPage ListLiked(std::int64_t user_id, std::int64_t cursor, int limit);

  /// A stat for every id in `video_ids` (zero when never liked); liked_by_viewer only for a
  /// viewer_id above 0.
  std::unordered_map<std::int64_t, VideoFavoriteStat> VideoStats(
      std::span<const std::int64_t> video_ids, std::int64_t viewer_id);

  /// A stat for every id in `user_ids` (zero when none).
  std::unordered_map<std::int64_t, UserFavoriteStat> UserStats(
      std::span<const std::int64_t> user_ids);

 private:
  FavoriteRepository& repository_;
  VideoDirectory& videos_;
  const Clock& clock_;
};

}  // namespace reel::favorite
