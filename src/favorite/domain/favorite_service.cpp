#include "favorite/domain/favorite_service.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace reel::favorite {
namespace {

// Likes are keyed by user; a non-positive id would file them under nobody.
Status CheckUser(std::int64_t user_id) {
  if (user_id > 0) return Status::Ok();
  return InvalidArgument("USER_ID_INVALID", "user_id must be positive");
}

Status VideoNotFound(std::int64_t video_id) {
  return NotFound("VIDEO_NOT_FOUND", "video " + std::to_string(video_id) + " does not exist");
}

// The author of a video `user_id` may see; VIDEO_NOT_FOUND (also for another's private or
// not-approved video), or why the video service could not say.
Result<std::int64_t> AuthorOfVisible(VideoDirectory& videos, std::int64_t video_id,
                                     std::int64_t user_id) {
  auto author = videos.AuthorOf(video_id, user_id);
  if (!author.ok()) return author.status();
  if (!*author) return VideoNotFound(video_id);
  return **author;
}

std::int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

}  // namespace

FavoriteService::FavoriteService(FavoriteRepository& repository, VideoDirectory& videos,
                                 UserDirectory& users, events::EventSink& events,
                                 const Clock& clock)
    : repository_(repository), videos_(videos), users_(users), events_(events), clock_(clock) {}

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
  if (auto again = videos_.AuthorOf(video_id, VideoDirectory::kAllStates); again.ok() && !*again) {
    repository_.RemoveFavorite(user_id, video_id);
    return VideoNotFound(video_id);
  }
  Publish(events::EventKind::kVideoLiked, video_id, user_id);
  return true;
}

Result<bool> FavoriteService::Unlike(std::int64_t user_id, std::int64_t video_id) {
  if (Status s = CheckUser(user_id); !s.ok()) return s;
  // The like goes first, without asking whether the video still exists, so a like of a
  // since-deleted video stays removable; only when there was none does a missing video
  // deserve an error rather than "not liked".
  if (repository_.RemoveFavorite(user_id, video_id)) {
    Publish(events::EventKind::kVideoUnliked, video_id, user_id);
    return true;
  }
  if (auto author = AuthorOfVisible(videos_, video_id, user_id); !author.ok())
    return author.status();
  return false;
}

std::int64_t FavoriteService::RemoveLikesOfVideo(std::int64_t video_id) {
  return repository_.RemoveLikesOfVideo(video_id);
}

std::vector<VideoLikeCount> FavoriteService::TopVideos(int limit) {
  return repository_.MostLiked(std::clamp(limit, 1, kMaxTopVideos));
}

void FavoriteService::Publish(events::EventKind kind, std::int64_t video_id, std::int64_t user_id) {
  events_.Publish(events::MakeEvent(kind, video_id, user_id, NowMs(clock_)));
}

LikedPage FavoriteService::ListLiked(std::int64_t user_id, std::int64_t cursor, int limit) {
  const int size = limit == 0 ? kDefaultPageSize : std::clamp(limit, 1, kMaxPageSize);
  // One row beyond the page tells whether another page exists, so the last page says so
  // instead of sending the client after an empty one.
  std::vector<LikedVideo> rows =
      repository_.ListLiked(user_id, std::max<std::int64_t>(cursor, 0), size + 1);
  LikedPage page;
  if (rows.size() > static_cast<std::size_t>(size)) {
    rows.resize(static_cast<std::size_t>(size));
    page.next_cursor = rows.back().favorite_id;
  }
  page.video_ids.reserve(rows.size());
  for (const LikedVideo& row : rows) page.video_ids.push_back(row.video_id);
  return page;
}

Result<LikedPage> FavoriteService::ListLikedOfKnownUser(std::int64_t user_id, std::int64_t cursor,
                                                        int limit) {
  auto exists = users_.Exists(user_id);
  if (!exists.ok()) return exists.status();
  if (!*exists) {
    return NotFound("USER_NOT_FOUND", "user " + std::to_string(user_id) + " does not exist");
  }
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
