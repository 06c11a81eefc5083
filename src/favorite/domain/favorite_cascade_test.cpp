// The favorite service's side of deleting a video: the VIDEO_DELETED event removes its likes
// with every counter exact, repeats and other events change nothing, and a like racing the
// deletion does not survive it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "favorite/domain/collection_service.hpp"
#include "favorite/domain/favorite_service.hpp"
#include "favorite/store/favorite_migrations.hpp"
#include "favorite/store/sql_collection_repository.hpp"
#include "favorite/store/sql_favorite_repository.hpp"
#include "kit/db/sqlite.hpp"
#include "kit/events/testing/outbox_recorder.hpp"

namespace reel::favorite {
namespace {

constexpr std::int64_t kVideos = 20;

std::int64_t AuthorOf(std::int64_t video_id) {
  return 100 + video_id % 3;
}

// Videos 1..kVideos that the test can delete, as the video service would.
// Every user exists: listings of named owners are not under test here.
class EveryUser final : public UserDirectory {
 public:
  Result<bool> Exists(std::int64_t) override { return true; }
};

class DeletableVideos final : public VideoDirectory {
 public:
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id, std::int64_t) override {
    std::lock_guard lock(mutex_);
    if (video_id < 1 || video_id > kVideos || deleted_.contains(video_id))
      return std::optional<std::int64_t>();
    // A delete landing between the service's check and its insert.
    if (video_id == delete_after_lookup_) deleted_.insert(video_id);
    return std::optional<std::int64_t>(favorite::AuthorOf(video_id));
  }
  void Delete(std::int64_t video_id) {
    std::lock_guard lock(mutex_);
    deleted_.insert(video_id);
  }
  void DeleteAfterNextLookup(std::int64_t video_id) {
    std::lock_guard lock(mutex_);
    delete_after_lookup_ = video_id;
  }

 private:
  std::mutex mutex_;
  std::set<std::int64_t> deleted_;
  std::int64_t delete_after_lookup_ = 0;
};

class FavoriteCascadeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_favorite_cascade_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "f.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "favorite", FavoriteMigrations()).ok());
    recorder_ = std::make_unique<events::testing::OutboxRecorder>(*db_, clock_);
    recorder_->ForwardTo(bus_);
    repo_ = std::make_unique<SqlFavoriteRepository>(*db_, &recorder_->outbox());
    service_ = std::make_unique<FavoriteService>(*repo_, videos_, users_, *recorder_, clock_);
    collection_repo_ = std::make_unique<SqlCollectionRepository>(*db_);
    collections_ = std::make_unique<CollectionService>(*collection_repo_, videos_, users_, clock_);
    // As the app wires it, plus a recorder of what the service itself publishes.
    // What the job service's cascade asks of the favorite service (FavoriteRpc::ForgetVideo).
    bus_.Subscribe("job", [this](const events::Event& e) {
      if (e.kind != events::EventKind::kVideoDeleted) return;
      service_->RemoveLikesOfVideo(e.subject_id);
      collections_->RemoveCollectionsOfVideo(e.subject_id);
    });
    bus_.Subscribe("recorder", [this](const events::Event& e) {
      std::lock_guard lock(published_mutex_);
      // What consumers count: a like taken back cancels its VIDEO_LIKED.
      if (e.kind == events::EventKind::kVideoLiked) ++likes_published_;
      if (e.kind == events::EventKind::kVideoUnliked) --likes_published_;
    });
  }
  void TearDown() override {
    collections_.reset();
    collection_repo_.reset();
    service_.reset();
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // What the video service does: the row goes, then the event.
  void DeleteVideo(std::int64_t video_id) {
    videos_.Delete(video_id);
    bus_.Publish(
        events::MakeEvent(events::EventKind::kVideoDeleted, video_id, AuthorOf(video_id), 1));
  }

  bool Like(std::int64_t user, std::int64_t video) {
    auto changed = service_->Like(user, video);
    EXPECT_TRUE(changed.ok()) << changed.status().message;
    return changed.ok() && *changed;
  }

  std::int64_t Rows(const std::string& where, const std::string& table = "favorites") {
    return db_->Read([&](db::Connection& conn) {
      auto row = conn.Prepare("SELECT COUNT(*) FROM " + table + " WHERE " + where);
      row.Step();
      return row.Int(0);
    });
  }

  // Every counter of users 1..10 and authors, and of every video, as text: compare two.
  std::string Counters() {
    std::vector<std::int64_t> users;
    for (std::int64_t u = 1; u <= 10; ++u) users.push_back(u);
    for (std::int64_t a = 100; a <= 102; ++a) users.push_back(a);
    std::vector<std::int64_t> videos;
    for (std::int64_t v = 1; v <= kVideos; ++v) videos.push_back(v);
    std::string out;
    const auto user_stats = service_->UserStats(users);
    for (const auto& [id, stat] : std::map(user_stats.begin(), user_stats.end())) {
      out += "user " + std::to_string(id) + ": " + std::to_string(stat.favorite_count) + "/" +
             std::to_string(stat.total_favorited) + "\n";
    }
    const auto video_stats = service_->VideoStats(videos, 0);
    for (std::int64_t v : videos) {
      out += "video " + std::to_string(v) + ": " +
             std::to_string(video_stats.at(v).favorite_count) + "\n";
    }
    return out;
  }

  // Each counter equals a COUNT(*) over the likes that remain.
  void ExpectCountersMatchRows() {
    for (std::int64_t u = 1; u <= 10; ++u) {
      const std::int64_t ids[] = {u};
      EXPECT_EQ(service_->UserStats(ids).at(u).favorite_count,
                Rows("user_id = " + std::to_string(u)))
          << "user " << u;
    }
    for (std::int64_t a = 100; a <= 102; ++a) {
      const std::int64_t ids[] = {a};
      EXPECT_EQ(service_->UserStats(ids).at(a).total_favorited,
                Rows("author_id = " + std::to_string(a)))
          << "author " << a;
    }
    for (std::int64_t v = 1; v <= kVideos; ++v) {
      const std::int64_t ids[] = {v};
      EXPECT_EQ(service_->VideoStats(ids, 0).at(v).favorite_count,
                Rows("video_id = " + std::to_string(v)))
          << "video " << v;
    }
  }

  ManualClock clock_;
  events::InProcessEventBus bus_;
  std::unique_ptr<events::testing::OutboxRecorder> recorder_;  // the store's outbox
  std::mutex published_mutex_;
  int likes_published_ = 0;
  DeletableVideos videos_;
  EveryUser users_;
  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlFavoriteRepository> repo_;
  std::unique_ptr<FavoriteService> service_;
  std::unique_ptr<SqlCollectionRepository> collection_repo_;
  std::unique_ptr<CollectionService> collections_;
};

TEST_F(FavoriteCascadeTest, DeletingAVideoRemovesItsLikesWithExactCounters) {
  // Videos 10 and 13 are by author 101, video 11 by 102; 101 also likes their own video.
  for (std::int64_t user : {1, 2, 3, 4}) {
    for (std::int64_t video : {10, 11, 13}) ASSERT_TRUE(Like(user, video));
  }
  ASSERT_TRUE(Like(101, 10));
  ASSERT_EQ(Rows("1"), 13);

  DeleteVideo(10);

  EXPECT_EQ(Rows("video_id = 10"), 0);
  EXPECT_EQ(Rows("1"), 8);
  ExpectCountersMatchRows();
  const std::int64_t users[] = {1, 101, 102};
  const auto stats = service_->UserStats(users);
  EXPECT_EQ(stats.at(1).favorite_count, 2);
  EXPECT_EQ(stats.at(101).favorite_count, 0);   // their like of their own video went too
  EXPECT_EQ(stats.at(101).total_favorited, 4);  // video 13's likes remain
  EXPECT_EQ(stats.at(102).total_favorited, 4);
  EXPECT_EQ(service_->ListLiked(1, 0, 0).video_ids, (std::vector<std::int64_t>{13, 11}));
  for (const VideoLikeCount& top : service_->TopVideos(100)) EXPECT_NE(top.video_id, 10);
  EXPECT_EQ(service_->TopVideos(100).size(), 2u);
}

TEST_F(FavoriteCascadeTest, RepeatedAndUnrelatedEventsChangeNothing) {
  for (std::int64_t user : {1, 2, 3}) {
    for (std::int64_t video : {4, 5}) ASSERT_TRUE(Like(user, video));
  }
  DeleteVideo(4);
  const std::string after_delete = Counters();
  EXPECT_EQ(Rows("1"), 3);

  // Delivered again (a retry, a second subscriber path): nothing more moves.
  DeleteVideo(4);
  EXPECT_EQ(Counters(), after_delete);
  EXPECT_EQ(service_->RemoveLikesOfVideo(4), 0);
  // Other kinds about a video that still has likes are not deletions.
  for (auto kind : {events::EventKind::kVideoPublished, events::EventKind::kVideoUpdated,
                    events::EventKind::kVideoLiked, events::EventKind::kCommentDeleted}) {
    bus_.Publish(events::MakeEvent(kind, 5, AuthorOf(5), 1));
  }
  EXPECT_EQ(Counters(), after_delete);
  EXPECT_EQ(Rows("video_id = 5"), 3);
  ExpectCountersMatchRows();
  // A video never liked: nothing to remove.
  EXPECT_EQ(service_->RemoveLikesOfVideo(6), 0);
  EXPECT_EQ(service_->RemoveLikesOfVideo(5), 3);
  EXPECT_EQ(Rows("1"), 0);
  ExpectCountersMatchRows();
}

TEST_F(FavoriteCascadeTest, ALikeRacingTheDeletionIsTakenBack) {
  ASSERT_TRUE(Like(2, 7));
  const int published_before = likes_published_;
  videos_.DeleteAfterNextLookup(7);
  auto raced = service_->Like(1, 7);
  EXPECT_EQ(raced.status().reason, "VIDEO_NOT_FOUND");
  // The cascade of the deletion that raced it still has to run: it finds user 2's like.
  DeleteVideo(7);
  EXPECT_EQ(Rows("1"), 0);
  ExpectCountersMatchRows();
  // The like was recorded and taken back: its VIDEO_LIKED is followed by a VIDEO_UNLIKED.
  EXPECT_EQ(likes_published_, published_before);
}

TEST_F(FavoriteCascadeTest, ConcurrentLikesAndDeletionsLeaveNoLikeOfADeletedVideo) {
  constexpr int kThreads = 6;
  constexpr int kOpsPerThread = 200;
  std::vector<std::thread> likers;
  for (int t = 0; t < kThreads; ++t) {
    likers.emplace_back([this, t] {
      std::mt19937 rng(static_cast<unsigned>(t) + 7);  // seeded: a failure can be replayed
      std::uniform_int_distribution<std::int64_t> user(1, 10);
      std::uniform_int_distribution<std::int64_t> video(1, kVideos);
      for (int i = 0; i < kOpsPerThread; ++i) {
        // Refusals (the video is gone) are expected here; only the counters matter.
        if (rng() % 4 == 0) {
          (void)service_->Unlike(user(rng), video(rng));
        } else {
          (void)service_->Like(user(rng), video(rng));
        }
      }
    });
  }
  for (std::int64_t v = 1; v <= kVideos; ++v) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    DeleteVideo(v);
  }
  for (auto& t : likers) t.join();

  EXPECT_EQ(Rows("1"), 0) << "a like outlived its video";
  ExpectCountersMatchRows();
}

TEST_F(FavoriteCascadeTest, DeletingAVideoRemovesItsBookmarksAndSharesAndOnlyThose) {
  for (std::int64_t u = 1; u <= 3; ++u) {
    ASSERT_TRUE(collections_->Collect(u, 4).ok());
    ASSERT_TRUE(collections_->Share(u, 4).ok());
  }
  ASSERT_TRUE(collections_->Collect(1, 5).ok());
  ASSERT_TRUE(collections_->Share(2, 5).ok());

  DeleteVideo(4);
  DeleteVideo(4);  // a repeated delivery changes nothing

  EXPECT_EQ(Rows("video_id = 4", "bookmarks"), 0);
  EXPECT_EQ(Rows("video_id = 4", "shares"), 0);
  EXPECT_EQ(Rows("video_id = 4", "video_collection_counts"), 0);
  const std::int64_t ids[] = {5};
  std::unordered_map<std::int64_t, VideoFavoriteStat> stats{{5, {}}};
  collections_->AddVideoStats(stats, ids, 1, false);
  EXPECT_EQ(stats.at(5).collect_count, 1);
  EXPECT_EQ(stats.at(5).share_count, 1);
  EXPECT_TRUE(stats.at(5).collected_by_viewer);
  // The deleted video's bookmark is gone from its owner's list too.
  auto page = collections_->ListCollected(2, 2, 0, 0);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->video_ids.empty());
}

TEST_F(FavoriteCascadeTest, ABookmarkRacingTheDeletionDoesNotSurviveIt) {
  videos_.DeleteAfterNextLookup(6);
  auto collected = collections_->Collect(1, 6);
  ASSERT_FALSE(collected.ok());
  EXPECT_EQ(collected.status().reason, "VIDEO_NOT_FOUND");
  EXPECT_EQ(Rows("video_id = 6", "bookmarks"), 0);
  EXPECT_EQ(Rows("video_id = 6", "video_collection_counts"), 0);
}

}  // namespace
}  // namespace reel::favorite
