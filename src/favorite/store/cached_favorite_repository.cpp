#include "favorite/store/cached_favorite_repository.hpp"

#include <algorithm>

namespace reel::favorite {

cache::SharedBinding<std::int64_t, UserFavoriteStat> CachedFavoriteRepository::UserStatsShared(
    cache::SharedTier* tier) {
  return cache::IdKeyedFields<UserFavoriteStat>(tier, "favorite.user_stats", 1,
                                                [](auto& io, auto& stat) {
                                                  io.Field(stat.favorite_count);
                                                  io.Field(stat.total_favorited);
                                                });
}

void CachedFavoriteRepository::CountersMoved(std::int64_t video_id, std::int64_t liker_id,
                                             std::int64_t author_id) {
  video_counts_.Invalidate(video_id);
  user_stats_.Invalidate(liker_id);
  user_stats_.Invalidate(author_id);
  likes_.Invalidate({liker_id, video_id});
}

bool CachedFavoriteRepository::AddFavorite(const Favorite& favorite) {
  const bool added = store_.AddFavorite(favorite);
  if (added) CountersMoved(favorite.video_id, favorite.user_id, favorite.author_id);
  return added;
}

std::optional<std::int64_t> CachedFavoriteRepository::RemoveFavorite(std::int64_t user_id,
                                                                     std::int64_t video_id) {
  auto author = store_.RemoveFavorite(user_id, video_id);
  if (author) CountersMoved(video_id, user_id, *author);
  return author;
}

std::int64_t CachedFavoriteRepository::RemoveLikesOfVideo(std::int64_t video_id) {
  const std::int64_t removed = store_.RemoveLikesOfVideo(video_id);
  if (removed > 0) {
    video_counts_.Invalidate(video_id);
    user_stats_.InvalidateAll();
    likes_.InvalidateAll();
  }
  return removed;
}

std::vector<CounterRepair> CachedFavoriteRepository::ReconcileCounters() {
  auto repairs = store_.ReconcileCounters();
  const bool changed = std::any_of(repairs.begin(), repairs.end(),
                                   [](const CounterRepair& r) { return r.rows_fixed > 0; });
  if (changed) {
    // The likes themselves did not change, so the pair cache stays.
    video_counts_.InvalidateAll();
    user_stats_.InvalidateAll();
  }
  return repairs;
}

std::unordered_map<std::int64_t, std::int64_t> CachedFavoriteRepository::CountByVideos(
    std::span<const std::int64_t> video_ids) {
  return video_counts_.GetMany(video_ids, [&](std::span<const std::int64_t> missing) {
    return store_.CountByVideos(missing);
  });
}

std::unordered_set<std::int64_t> CachedFavoriteRepository::LikedAmong(
    std::int64_t user_id, std::span<const std::int64_t> video_ids) {
  auto liked = likes_.SecondsThatHold(
      user_id, video_ids, [&](auto unknown) { return store_.LikedAmong(user_id, unknown); });
  return {liked.begin(), liked.end()};
}

std::unordered_map<std::int64_t, UserFavoriteStat> CachedFavoriteRepository::CountByUsers(
    std::span<const std::int64_t> user_ids) {
  return user_stats_.GetMany(user_ids, [&](std::span<const std::int64_t> missing) {
    return store_.CountByUsers(missing);
  });
}

}  // namespace reel::favorite
