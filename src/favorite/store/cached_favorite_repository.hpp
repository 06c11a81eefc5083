#pragma once

#include "favorite/domain/favorite_repository.hpp"
#include "kit/cache/invalidating_cache.hpp"
#include "kit/cache/pair_cache.hpp"

namespace reel::favorite {

/// FavoriteRepository that keeps the counters every page shows (likes per video, and each
/// user's favorite_count and total_favorited) in memory, in front of another repository
/// that stores them. Every write goes through here, so each one invalidates exactly the
/// counters it moved, after its commit: the video's, the liker's and the author's for a
/// like or unlike, and all user counters for a deleted video's likes (whose likers are not
/// known here). "Does this user like this video", asked for every video a signed-in user
/// sees, is cached per pair the same way. Correct while this process is the only writer of
/// the store, which it is for the embedded store and the one favorite process of a
/// cluster. Lists and rankings are read through uncached.
class CachedFavoriteRepository final : public FavoriteRepository {
 public:
  /// `capacity`: entries per cache (videos, users).
  /// `writes`, when given, advances with every invalidation (see cache::ChangeEpoch).
  /// `shared`, when given, shares the counters with the deployment's other processes, and
  /// the likes' invalidations.
  CachedFavoriteRepository(FavoriteRepository& store, std::size_t capacity,
                           cache::ChangeEpoch* writes = nullptr,
                           cache::SharedTier* shared = nullptr)
      : store_(store),
        video_counts_(capacity, writes, cache::CountShared(shared, "favorite.video_counts")),
        user_stats_(capacity, writes, UserStatsShared(shared)),
        likes_(capacity, writes, shared, "favorite.likes") {}

  bool AddFavorite(const Favorite& favorite) override;
  std::optional<std::int64_t> RemoveFavorite(std::int64_t user_id, std::int64_t video_id) override;
  std::int64_t RemoveLikesOfVideo(std::int64_t video_id) override;
  std::vector<LikedVideo> ListLiked(std::int64_t user_id, std::int64_t before_id,
                                    int limit) override {
    return store_.ListLiked(user_id, before_id, limit);
  }
  std::unordered_map<std::int64_t, std::int64_t> CountByVideos(
      std::span<const std::int64_t> video_ids) override;
  std::unordered_set<std::int64_t> LikedAmong(std::int64_t user_id,
                                              std::span<const std::int64_t> video_ids) override;
  std::vector<VideoLikeCount> MostLiked(int limit) override { return store_.MostLiked(limit); }
  std::unordered_map<std::int64_t, UserFavoriteStat> CountByUsers(
      std::span<const std::int64_t> user_ids) override;
  /// Drops every cached counter when a repair changed any: which ones it set is not known
  /// here.
  std::vector<CounterRepair> ReconcileCounters() override;

 private:
  void CountersMoved(std::int64_t video_id, std::int64_t liker_id, std::int64_t author_id);

  static cache::SharedBinding<std::int64_t, UserFavoriteStat> UserStatsShared(
      cache::SharedTier* tier);

  FavoriteRepository& store_;
  cache::InvalidatingCache<std::int64_t, std::int64_t> video_counts_;
  cache::InvalidatingCache<std::int64_t, UserFavoriteStat> user_stats_;
  /// (user, video) → present when the user likes the video.
  cache::PairCache likes_;
};

}  // namespace reel::favorite
