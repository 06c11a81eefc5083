#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>

#include "favorite/domain/collection_repository.hpp"
#include "favorite/domain/favorite.hpp"
#include "favorite/domain/user_directory.hpp"
#include "favorite/domain/video_directory.hpp"
#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"

namespace reel::favorite {

/// The collection use cases (issue 16): bookmarking videos (收藏, idempotently, distinct from
/// likes), a user's collection list (private to its owner unless they make it public),
/// sharing (counted at most once per user, video and UTC day, so share_count cannot be
/// pumped), the per-video counters, and forgetting a deleted video's bookmarks and shares.
/// A video the acting user may not see (another's private or not-approved one) is
/// VIDEO_NOT_FOUND, as one that does not exist. Thread-safe.
class CollectionService {
 public:
  static constexpr int kDefaultPageSize = 30;
  static constexpr int kMaxPageSize = 100;
  static constexpr std::int64_t kDayMs = 24 * 60 * 60 * 1000;

  CollectionService(CollectionRepository& repository, VideoDirectory& videos, UserDirectory& users,
                    const Clock& clock);

  /// Bookmarks the video; true when this call added it, false when it was there already.
  /// Errors: USER_ID_INVALID (INVALID_ARGUMENT), VIDEO_NOT_FOUND (NOT_FOUND).
  Result<bool> Collect(std::int64_t user_id, std::int64_t video_id);
  /// Removes the bookmark; true when this call removed it, false when there was none.
  /// A bookmark of a since-deleted or since-hidden video stays removable. Errors:
  /// USER_ID_INVALID, VIDEO_NOT_FOUND (when there was none and the user cannot see the video).
  Result<bool> Uncollect(std::int64_t user_id, std::int64_t video_id);

  /// `owner_id`'s bookmarked videos, newest bookmark first, as `viewer_id` (0: anonymous)
  /// asks. cursor: 0 for the first page, then the previous page's next_cursor; limit 0 means
  /// kDefaultPageSize, others are clamped to 1..kMaxPageSize. Errors: USER_ID_INVALID;
  /// USER_NOT_FOUND (NOT_FOUND) for another's list when no such user exists;
  /// COLLECTIONS_PRIVATE (PERMISSION_DENIED) when the viewer is not the owner and the owner
  /// has not made the list public.
  Result<LikedPage> ListCollected(std::int64_t owner_id, std::int64_t viewer_id,
                                  std::int64_t cursor, int limit);

  /// Whether the user's collection list is public; with `set`, changes it first (the caller
  /// checked that the request is the user's own). Errors: USER_ID_INVALID.
  Result<bool> CollectionsPublic(std::int64_t user_id, std::optional<bool> set);

  /// Shares the video: counted when it is the user's first share of it this UTC day (by the
  /// injected clock). Errors: USER_ID_INVALID, VIDEO_NOT_FOUND.
  Result<ShareOutcome> Share(std::int64_t user_id, std::int64_t video_id);

  /// Removes every bookmark and share of a deleted video with its counters; how many rows
  /// went. Idempotent.
  std::int64_t RemoveCollectionsOfVideo(std::int64_t video_id);

  /// Repairs the bookmark counters that drifted from the bookmarks (see
  /// CollectionRepository::ReconcileCounters). Idempotent.
  std::vector<CounterRepair> ReconcileCounters();

  /// Fills collect_count, share_count (unless `viewer_only`) and collected_by_viewer (for a
  /// viewer_id above 0) into `stats`, which holds an entry for every id of `video_ids`.
  void AddVideoStats(std::unordered_map<std::int64_t, VideoFavoriteStat>& stats,
                     std::span<const std::int64_t> video_ids, std::int64_t viewer_id,
                     bool viewer_only);

 private:
  /// VIDEO_NOT_FOUND unless `user_id` may see the video, or why that could not be asked.
  Status CheckVisible(std::int64_t user_id, std::int64_t video_id);
  /// After a row for the video was written: if the video was deleted meanwhile, its cascade
  /// may have run before the write, so the rows are taken back here. VIDEO_NOT_FOUND then.
  Status UndoIfDeleted(std::int64_t video_id);

  CollectionRepository& repository_;
  VideoDirectory& videos_;
  UserDirectory& users_;
  const Clock& clock_;
};

}  // namespace reel::favorite
