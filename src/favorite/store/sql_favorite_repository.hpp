#pragma once

#include "favorite/domain/favorite_repository.hpp"
#include "kit/db/database.hpp"
#include "kit/events/outbox.hpp"

namespace reel::favorite {

/// FavoriteRepository over kit/db, written once for SQLite and MariaDB (tables of
/// favorite_migrations.cpp). Thread-safe. A like and its three
/// counter changes commit together in one write transaction, and the counters move only
/// when a row really was inserted or deleted, so retries and races cannot make them drift.
/// With an outbox, a like records VIDEO_LIKED and an unlike VIDEO_UNLIKED in the same
/// transaction (only when a row moved).
class SqlFavoriteRepository final : public FavoriteRepository {
 public:
  explicit SqlFavoriteRepository(db::Database& db, const events::Outbox* outbox = nullptr)
      : db_(db), outbox_(outbox) {}

  bool AddFavorite(const Favorite& favorite) override;
  std::optional<std::int64_t> RemoveFavorite(std::int64_t user_id, std::int64_t video_id) override;
  std::int64_t RemoveLikesOfVideo(std::int64_t video_id) override;
  std::vector<LikedVideo> ListLiked(std::int64_t user_id, std::int64_t before_id,
                                    int limit) override;
  std::unordered_map<std::int64_t, std::int64_t> CountByVideos(
      std::span<const std::int64_t> video_ids) override;
  std::unordered_set<std::int64_t> LikedAmong(std::int64_t user_id,
                                              std::span<const std::int64_t> video_ids) override;
  std::vector<VideoLikeCount> MostLiked(int limit) override;
  std::unordered_map<std::int64_t, UserFavoriteStat> CountByUsers(
      std::span<const std::int64_t> user_ids) override;
  std::vector<CounterRepair> ReconcileCounters() override;

 private:
  db::Database& db_;
  const events::Outbox* outbox_;
};

}  // namespace reel::favorite
