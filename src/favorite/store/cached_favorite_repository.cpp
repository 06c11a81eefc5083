#include "favorite/store/cached_favorite_repository.hpp"

namespace reel::favorite {

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

std::unordered_map<std::int64_t, std::int64_t> CachedFavoriteRepository::CountByVideos(
    std::span<const std::int64_t> video_ids) {
  return video_counts_.GetMany(video_ids, [&](std::span<const std::int64_t> missing) {
    return store_.CountByVideos(missing);
  });
}

std::unordered_set<std::int64_t> CachedFavoriteRepository::LikedAmong(
    std::int64_t user_id, std::span<const std::int64_t> video_ids) {
  std::vector<cache::IdPair> pairs;
  pairs.reserve(video_ids.size());
  for (std::int64_t video_id : video_ids) pairs.push_back({user_id, video_id});
  auto liked = likes_.GetMany(pairs, [&](std::span<const cache::IdPair> missing) {
    std::vector<std::int64_t> ids;
    ids.reserve(missing.size());
    for (const cache::IdPair& pair : missing) ids.push_back(pair.second);
    std::unordered_map<cache::IdPair, bool, cache::IdPairHash> found;
    for (std::int64_t video_id : store_.LikedAmong(user_id, ids)) found[{user_id, video_id}] = true;
    return found;
  });
  std::unordered_set<std::int64_t> out;
  for (const auto& [pair, yes] : liked) out.insert(pair.second);
  return out;
}

std::unordered_map<std::int64_t, UserFavoriteStat> CachedFavoriteRepository::CountByUsers(
    std::span<const std::int64_t> user_ids) {
  return user_stats_.GetMany(user_ids, [&](std::span<const std::int64_t> missing) {
    return store_.CountByUsers(missing);
  });
}

}  // namespace reel::favorite
