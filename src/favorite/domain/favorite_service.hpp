#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "favorite/domain/favorite.hpp"
#include "favorite/domain/favorite_repository.hpp"
#include "favorite/domain/user_directory.hpp"
#include "favorite/domain/video_directory.hpp"
#include "kit/clock/clock.hpp"
#include "kit/events/commit_hook.hpp"
#include "kit/status/status.hpp"

namespace reel::favorite {

/// The favorite use cases: liking and unliking videos (idempotently), listing what a user
/// liked, the like counters of videos and users, the most-liked videos, and forgetting the
/// likes of a deleted video. The repository records a change's event with it (only when
/// something really changed); `committed` publishes it after the commit. Thread-safe.
class FavoriteService {
 public:
  static constexpr int kDefaultPageSize = 30;
  static constexpr int kMaxPageSize = 100;
  static constexpr int kMaxTopVideos = 1000;

  /// `videos` and `users` answer which videos and users exist (the other services own them).
  FavoriteService(FavoriteRepository& repository, VideoDirectory& videos, UserDirectory& users,
                  const events::CommitHook& committed, const Clock& clock);

  /// Makes `user_id` like `video_id`; true when this call added the like (and VIDEO_LIKED
  /// was published), false when it already existed. Liking one's own video counts like any
  /// other like. Errors: USER_ID_INVALID (INVALID_ARGUMENT), VIDEO_NOT_FOUND (NOT_FOUND).
  Result<bool> Like(std::int64_t user_id, std::int64_t video_id);

  /// Takes the like back; true when this call removed it (and VIDEO_UNLIKED was published),
  /// false when there was none. Errors: USER_ID_INVALID, VIDEO_NOT_FOUND (when there was no
  /// like and the video does not exist).
  Result<bool> Unlike(std::int64_t user_id, std::int64_t video_id);

  /// Removes every like of a video that was deleted, with exact counters (see
  /// FavoriteRepository::RemoveLikesOfVideo); returns how many. Idempotent. Publishes
  /// nothing: the VIDEO_DELETED event that causes this already says it.
  std::int64_t RemoveLikesOfVideo(std::int64_t video_id);

  /// Repairs the like counters that drifted from the likes (see
  /// FavoriteRepository::ReconcileCounters); one entry per counter checked. Idempotent.
  std::vector<CounterRepair> ReconcileCounters();

  /// The most-liked videos (at least one like), most first, equal counts newer id first.
  /// `limit` is clamped to 1..kMaxTopVideos.
  std::vector<VideoLikeCount> TopVideos(int limit);

  /// The user's liked videos, newest like first. cursor: 0 (or less) for the first page,
  /// then the previous page's next_cursor. limit 0 means kDefaultPageSize; others are
  /// clamped to 1..kMaxPageSize.
  LikedPage ListLiked(std::int64_t user_id, std::int64_t cursor, int limit);

  /// ListLiked for a listing that names its owner (GET /api/favorite/videos): an owner who
  /// does not exist is refused rather than answered an empty page, which would hide a wrong
  /// id from the client. Errors: USER_NOT_FOUND (NOT_FOUND); kUnavailable when the user
  /// service cannot say.
  Result<LikedPage> ListLikedOfKnownUser(std::int64_t user_id, std::int64_t cursor, int limit);

  /// A stat for every id in `video_ids` (zero when never liked); liked_by_viewer only for a
  /// viewer_id above 0. `viewer_only`: liked_by_viewer alone, the counts left at 0.
  std::unordered_map<std::int64_t, VideoFavoriteStat> VideoStats(
      std::span<const std::int64_t> video_ids, std::int64_t viewer_id, bool viewer_only = false);

  /// A stat for every id in `user_ids` (zero when none).
  std::unordered_map<std::int64_t, UserFavoriteStat> UserStats(
      std::span<const std::int64_t> user_ids);

 private:
  FavoriteRepository& repository_;
  VideoDirectory& videos_;
  UserDirectory& users_;
  const events::CommitHook& committed_;
  const Clock& clock_;
};

}  // namespace reel::favorite
