#pragma once

#include "favorite/domain/collection_repository.hpp"
#include "kit/cache/change_epoch.hpp"
#include "kit/db/database.hpp"

namespace reel::favorite {

/// CollectionRepository over kit/db, written once for SQLite and MariaDB (migration 3 of
/// favorite_migrations.cpp). Thread-safe. A bookmark or a
/// share and its counter change commit together, and the counter moves only when a row
/// really was inserted or deleted. Nothing is cached, but a rendered video shows these
/// counters: `writes`, when given, advances after every write that changed something, so
/// renderings made before it are not reused (see views::RenderedVideos).
class SqlCollectionRepository final : public CollectionRepository {
 public:
  explicit SqlCollectionRepository(db::Database& db, cache::ChangeEpoch* writes = nullptr)
      : db_(db), writes_(writes) {}

  bool AddBookmark(std::int64_t user_id, std::int64_t video_id,
                   std::int64_t created_at_ms) override;
  bool RemoveBookmark(std::int64_t user_id, std::int64_t video_id) override;
  std::vector<Bookmark> ListBookmarks(std::int64_t user_id, std::int64_t before_id,
                                      int limit) override;
  ShareOutcome AddShare(std::int64_t user_id, std::int64_t video_id, std::int64_t day) override;
  std::int64_t RemoveCollectionsOfVideo(std::int64_t video_id) override;
  std::unordered_map<std::int64_t, VideoCollectionCounts> CountsByVideos(
      std::span<const std::int64_t> video_ids) override;
  std::unordered_set<std::int64_t> CollectedAmong(std::int64_t user_id,
                                                  std::span<const std::int64_t> video_ids) override;
  bool CollectionsPublic(std::int64_t user_id) override;
  void SetCollectionsPublic(std::int64_t user_id, bool is_public) override;
  std::vector<CounterRepair> ReconcileCounters() override;

 private:
  void Changed() {
    if (writes_) writes_->Advance();
  }

  db::Database& db_;
  cache::ChangeEpoch* writes_;
};

}  // namespace reel::favorite
