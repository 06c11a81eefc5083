#include "favorite/domain/favorite_service.hpp"

#include <algorithm>
#include <vector>

#include "favorite/domain/favorite_rules.hpp"
#include "kit/metrics/metrics.hpp"

namespace reel::favorite {

FavoriteService::FavoriteService(FavoriteRepository& repository, VideoDirectory& videos,
                                 UserDirectory& users, const events::CommitHook& committed,
                                 const Clock& clock)
    : repository_(repository),
      videos_(videos),
      users_(users),
      committed_(committed),
      clock_(clock) {}

Result<bool> FavoriteService::Like(std::int64_t user_id, std::int64_t video_id) {
  if (Status s = CheckUser(user_id); !s.ok()) return s;
  const auto author = AuthorOfVisible(videos_, video_id, user_id);
  if (!author.ok()) return author.status();
  if (!repository_.AddFavorite(Favorite{user_id, video_id, *author, NowMs(clock_)})) {
    return false;
  }
  // Had the video been deleted between the check above and the insert, its cascade would
  // have run already and this like would stay forever, counted. The video service commits a
  // delete before the cascade starts, so asking again now closes that window: either the
  // cascade saw this like, or this sees the video gone and takes the like back. (When the
  // video service cannot answer now, the like stays: it answered a moment ago.)
  if (GoneSince(videos_, video_id)) {
    repository_.RemoveFavorite(user_id, video_id);
    committed_.Committed();
    return VideoNotFound(video_id);
  }
  committed_.Committed();
  static auto& likes = metrics::Counter("reel_likes_total", "Likes recorded (not repeats).");
  likes.Increment();
  return true;
}

Result<bool> FavoriteService::Unlike(std::int64_t user_id, std::int64_t video_id) {
  if (Status s = CheckUser(user_id); !s.ok()) return s;
  // The like goes first, without asking whether the video still exists, so a like of a
  // since-deleted video stays removable; only when there was none does a missing video
  // deserve an error rather than "not liked".
  if (repository_.RemoveFavorite(user_id, video_id)) {
    committed_.Committed();
    return true;
  }
  if (auto author = AuthorOfVisible(videos_, video_id, user_id); !author.ok())
    return author.status();
  return false;
}

std::int64_t FavoriteService::RemoveLikesOfVideo(std::int64_t video_id) {
  return repository_.RemoveLikesOfVideo(video_id);
}

std::vector<CounterRepair> FavoriteService::ReconcileCounters() {
  return repository_.ReconcileCounters();
}

std::vector<VideoLikeCount> FavoriteService::TopVideos(int limit) {
  return repository_.MostLiked(std::clamp(limit, 1, kMaxTopVideos));
}

LikedPage FavoriteService::ListLiked(std::int64_t user_id, std::int64_t cursor, int limit) {
  const int size = limit == 0 ? kDefaultPageSize : std::clamp(limit, 1, kMaxPageSize);
  return PageOf(repository_.ListLiked(user_id, std::max<std::int64_t>(cursor, 0), size + 1), size,
                &LikedVideo::favorite_id);
}

Result<LikedPage> FavoriteService::ListLikedOfKnownUser(std::int64_t user_id, std::int64_t cursor,
                                                        int limit) {
  if (Status s = CheckUserExists(users_, user_id); !s.ok()) return s;
  return ListLiked(user_id, cursor, limit);
}

std::unordered_map<std::int64_t, VideoFavoriteStat> FavoriteService::VideoStats(
    std::span<const std::int64_t> video_ids, std::int64_t viewer_id, bool viewer_only) {
  std::unordered_map<std::int64_t, VideoFavoriteStat> stats;
  if (video_ids.empty()) return stats;
  for (std::int64_t id : video_ids) stats.try_emplace(id);
  if (!viewer_only) {
    for (const auto& [id, count] : repository_.CountByVideos(video_ids)) {
      stats[id].favorite_count = count;
    }
  }
  if (viewer_id > 0) {
    for (std::int64_t id : repository_.LikedAmong(viewer_id, video_ids)) {
      stats[id].liked_by_viewer = true;
    }
  }
  return stats;
}

std::unordered_map<std::int64_t, UserFavoriteStat> FavoriteService::UserStats(
    std::span<const std::int64_t> user_ids) {
  std::unordered_map<std::int64_t, UserFavoriteStat> stats;
  if (user_ids.empty()) return stats;
  for (std::int64_t id : user_ids) stats.try_emplace(id);
  for (const auto& [id, stat] : repository_.CountByUsers(user_ids)) stats[id] = stat;
  return stats;
}

}  // namespace reel::favorite
