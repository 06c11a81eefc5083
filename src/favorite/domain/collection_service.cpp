#include "favorite/domain/collection_service.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "favorite/domain/favorite_rules.hpp"

namespace reel::favorite {

CollectionService::CollectionService(CollectionRepository& repository, VideoDirectory& videos,
                                     UserDirectory& users, const Clock& clock)
    : repository_(repository), videos_(videos), users_(users), clock_(clock) {}

Status CollectionService::CheckVisible(std::int64_t user_id, std::int64_t video_id) {
  auto author = AuthorOfVisible(videos_, video_id, user_id);
  return author.ok() ? Status::Ok() : author.status();
}

Status CollectionService::UndoIfDeleted(std::int64_t video_id) {
  // The video service commits a delete before its cascade starts, so asking again after
  // the write closes the window in which the cascade ran before it (as Like does). When the
  // video service cannot answer now, the row stays: it answered a moment ago.
  if (GoneSince(videos_, video_id)) {
    repository_.RemoveCollectionsOfVideo(video_id);
    return VideoNotFound(video_id);
  }
  return Status::Ok();
}

Result<bool> CollectionService::Collect(std::int64_t user_id, std::int64_t video_id) {
  if (Status s = CheckUser(user_id); !s.ok()) return s;
  if (Status s = CheckVisible(user_id, video_id); !s.ok()) return s;
  if (!repository_.AddBookmark(user_id, video_id, NowMs(clock_))) return false;
  if (Status s = UndoIfDeleted(video_id); !s.ok()) return s;
  return true;
}

Result<bool> CollectionService::Uncollect(std::int64_t user_id, std::int64_t video_id) {
  if (Status s = CheckUser(user_id); !s.ok()) return s;
  if (repository_.RemoveBookmark(user_id, video_id)) return true;
  if (Status s = CheckVisible(user_id, video_id); !s.ok()) return s;
  return false;
}

Result<LikedPage> CollectionService::ListCollected(std::int64_t owner_id, std::int64_t viewer_id,
                                                   std::int64_t cursor, int limit) {
  if (Status s = CheckUser(owner_id); !s.ok()) return s;
  if (viewer_id != owner_id) {
    // A wrong id is a 404 rather than "private", which would hide the mistake.
    if (Status s = CheckUserExists(users_, owner_id); !s.ok()) return s;
    if (!repository_.CollectionsPublic(owner_id)) {
      return PermissionDenied("COLLECTIONS_PRIVATE",
                              "user " + std::to_string(owner_id) + "'s collections are private");
    }
  }
  const int size = limit == 0 ? kDefaultPageSize : std::clamp(limit, 1, kMaxPageSize);
  return PageOf(repository_.ListBookmarks(owner_id, std::max<std::int64_t>(cursor, 0), size + 1),
                size, &Bookmark::bookmark_id);
}

Result<bool> CollectionService::CollectionsPublic(std::int64_t user_id, std::optional<bool> set) {
  if (Status s = CheckUser(user_id); !s.ok()) return s;
  if (set) repository_.SetCollectionsPublic(user_id, *set);
  return repository_.CollectionsPublic(user_id);
}

Result<ShareOutcome> CollectionService::Share(std::int64_t user_id, std::int64_t video_id) {
  if (Status s = CheckUser(user_id); !s.ok()) return s;
  if (Status s = CheckVisible(user_id, video_id); !s.ok()) return s;
  const std::int64_t now_ms = NowMs(clock_);
  // Floor division: a clock before 1970 (only in tests) still gives one day per 24 h.
  const std::int64_t day = now_ms >= 0 ? now_ms / kDayMs : -((-now_ms + kDayMs - 1) / kDayMs);
  const ShareOutcome outcome = repository_.AddShare(user_id, video_id, day);
  if (outcome.counted) {
    if (Status s = UndoIfDeleted(video_id); !s.ok()) return s;
  }
  return outcome;
}

std::int64_t CollectionService::RemoveCollectionsOfVideo(std::int64_t video_id) {
  return repository_.RemoveCollectionsOfVideo(video_id);
}

std::vector<CounterRepair> CollectionService::ReconcileCounters() {
  return repository_.ReconcileCounters();
}

void CollectionService::AddVideoStats(std::unordered_map<std::int64_t, VideoFavoriteStat>& stats,
                                      std::span<const std::int64_t> video_ids,
                                      std::int64_t viewer_id, bool viewer_only) {
  if (video_ids.empty()) return;
  if (!viewer_only) {
    for (const auto& [id, counts] : repository_.CountsByVideos(video_ids)) {
      stats[id].collect_count = counts.collect_count;
      stats[id].share_count = counts.share_count;
    }
  }
  if (viewer_id > 0) {
    for (std::int64_t id : repository_.CollectedAmong(viewer_id, video_ids)) {
      stats[id].collected_by_viewer = true;
    }
  }
}

}  // namespace reel::favorite
