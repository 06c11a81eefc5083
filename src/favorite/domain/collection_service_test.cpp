// Bookmarks, collection lists, the collection setting and shares over the real SQLite store:
// idempotent and exact under racing duplicates, private lists refused to others, a share
// counted once per user, video and UTC day (by the injected clock), hidden videos refused.
#include "favorite/domain/collection_service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "favorite/store/favorite_migrations.hpp"
#include "favorite/store/sql_collection_repository.hpp"
#include "kit/db/sqlite.hpp"

namespace reel::favorite {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kPrivateVideo = 40;  // by user 7, seen only by them
constexpr std::int64_t kPrivateAuthor = 7;

// Videos 1..50 exist; video 40 is private to its author 7 (kAllStates: every state).
class FakeVideos final : public VideoDirectory {
 public:
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id,
                                               std::int64_t viewer_id) override {
    if (video_id < 1 || video_id > 50) return std::optional<std::int64_t>();
    if (video_id == kPrivateVideo) {
      if (viewer_id != kAllStates && viewer_id != kPrivateAuthor)
        return std::optional<std::int64_t>();
      return std::optional<std::int64_t>(kPrivateAuthor);
    }
    return std::optional<std::int64_t>(100 + video_id % 3);
  }
};

// Users 1..200 exist.
class FakeUsers final : public UserDirectory {
 public:
  Result<bool> Exists(std::int64_t user_id) override { return user_id >= 1 && user_id <= 200; }
};

class CollectionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_collection_service_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "f.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "favorite", FavoriteMigrations()).ok());
    repo_ = std::make_unique<SqlCollectionRepository>(*db_, &writes_);
    service_ = std::make_unique<CollectionService>(*repo_, videos_, users_, clock_);
  }
  void TearDown() override {
    service_.reset();
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  bool Collect(std::int64_t user, std::int64_t video) {
    auto changed = service_->Collect(user, video);
    EXPECT_TRUE(changed.ok()) << changed.status().message;
    return changed.ok() && *changed;
  }
  VideoFavoriteStat Stat(std::int64_t video, std::int64_t viewer) {
    const std::int64_t ids[] = {video};
    std::unordered_map<std::int64_t, VideoFavoriteStat> stats{{video, {}}};
    service_->AddVideoStats(stats, ids, viewer, false);
    return stats.at(video);
  }
  ShareOutcome Share(std::int64_t user, std::int64_t video) {
    auto outcome = service_->Share(user, video);
    EXPECT_TRUE(outcome.ok()) << outcome.status().message;
    return outcome.ok() ? *outcome : ShareOutcome{};
  }
  std::vector<std::int64_t> All(std::int64_t owner, std::int64_t viewer, int limit) {
    std::vector<std::int64_t> ids;
    std::int64_t cursor = 0;
    for (int pages = 0; pages < 20; ++pages) {
      auto page = service_->ListCollected(owner, viewer, cursor, limit);
      EXPECT_TRUE(page.ok()) << page.status().message;
      if (!page.ok()) break;
      ids.insert(ids.end(), page->video_ids.begin(), page->video_ids.end());
      if (page->next_cursor == 0) break;
      cursor = page->next_cursor;
    }
    return ids;
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  cache::ChangeEpoch writes_;
  std::unique_ptr<SqlCollectionRepository> repo_;
  FakeVideos videos_;
  FakeUsers users_;
  ManualClock clock_;
  std::unique_ptr<CollectionService> service_;
};

TEST_F(CollectionServiceTest, CollectAndUncollectAreIdempotentWithAnExactCount) {
  EXPECT_TRUE(Collect(1, 5));
  EXPECT_FALSE(Collect(1, 5));  // already there: changed false, counted once
  EXPECT_TRUE(Collect(2, 5));
  EXPECT_EQ(Stat(5, 1).collect_count, 2);
  EXPECT_TRUE(Stat(5, 1).collected_by_viewer);
  EXPECT_FALSE(Stat(5, 3).collected_by_viewer);
  EXPECT_FALSE(Stat(5, 0).collected_by_viewer);  // anonymous

  auto removed = service_->Uncollect(1, 5);
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(*removed);
  removed = service_->Uncollect(1, 5);
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(*removed);
  EXPECT_EQ(Stat(5, 1).collect_count, 1);
  EXPECT_FALSE(Stat(5, 1).collected_by_viewer);
}

TEST_F(CollectionServiceTest, WritesThatChangeSomethingAdvanceTheEpochAndOthersDoNot) {
  const std::uint64_t before = writes_.Now();
  EXPECT_TRUE(Collect(1, 5));
  const std::uint64_t after_collect = writes_.Now();
  EXPECT_GT(after_collect, before);
  EXPECT_FALSE(Collect(1, 5));
  EXPECT_EQ(writes_.Now(), after_collect);  // nothing changed, renderings stay current
  EXPECT_TRUE(Share(1, 5).counted);
  EXPECT_GT(writes_.Now(), after_collect);
}

TEST_F(CollectionServiceTest, RacingDuplicatesAndManyUsersCountExactly) {
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::atomic<int> changed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Every thread bookmarks video 9 as user 1 (one must win), and as users of its own.
      if (auto r = service_->Collect(1, 9); r.ok() && *r) ++changed;
      for (std::int64_t u = 0; u < 10; ++u) (void)service_->Collect(10 + t * 10 + u, 9);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(changed.load(), 1);
  EXPECT_EQ(Stat(9, 1).collect_count, 1 + kThreads * 10);
}

TEST_F(CollectionServiceTest, TheListIsNewestFirstAndPages) {
  for (std::int64_t v = 1; v <= 7; ++v) ASSERT_TRUE(Collect(3, v));
  ASSERT_TRUE(service_->Uncollect(3, 4).ok());
  const std::vector<std::int64_t> expected = {7, 6, 5, 3, 2, 1};
  EXPECT_EQ(All(3, 3, 2), expected);
  EXPECT_EQ(All(3, 3, 0), expected);
  auto last = service_->ListCollected(3, 3, 0, 6);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->next_cursor, 0);  // exactly one page: no empty page after it
}

TEST_F(CollectionServiceTest, OthersSeeTheListOnlyOnceTheOwnerMadeItPublic) {
  ASSERT_TRUE(Collect(3, 1));
  auto refused = service_->ListCollected(3, 4, 0, 0);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code, Code::kPermissionDenied);
  EXPECT_EQ(refused.status().reason, "COLLECTIONS_PRIVATE");
  EXPECT_FALSE(service_->ListCollected(3, 0, 0, 0).ok());   // anonymous too
  EXPECT_EQ(All(3, 3, 0), (std::vector<std::int64_t>{1}));  // the owner always

  auto setting = service_->CollectionsPublic(3, std::nullopt);
  ASSERT_TRUE(setting.ok());
  EXPECT_FALSE(*setting);  // private by default
  setting = service_->CollectionsPublic(3, true);
  ASSERT_TRUE(setting.ok());
  EXPECT_TRUE(*setting);
  EXPECT_EQ(All(3, 4, 0), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(All(3, 0, 0), (std::vector<std::int64_t>{1}));

  ASSERT_TRUE(service_->CollectionsPublic(3, false).ok());
  EXPECT_EQ(service_->ListCollected(3, 4, 0, 0).status().reason, "COLLECTIONS_PRIVATE");
}

TEST_F(CollectionServiceTest, AnUnknownOwnerIsNotFoundRatherThanPrivate) {
  auto missing = service_->ListCollected(999, 4, 0, 0);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().reason, "USER_NOT_FOUND");
  EXPECT_EQ(service_->ListCollected(0, 4, 0, 0).status().reason, "USER_ID_INVALID");
}

TEST_F(CollectionServiceTest, AShareCountsOncePerUserVideoAndUtcDay) {
  // Start one millisecond before a UTC midnight, so the next share crosses it.
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count();
  clock_.Advance(std::chrono::milliseconds(CollectionService::kDayMs -
                                           now_ms % CollectionService::kDayMs - 1));

  EXPECT_EQ(Share(1, 5).counted, true);
  EXPECT_EQ(Share(1, 5).counted, false);  // the same day: not pumped
  EXPECT_EQ(Share(1, 5).share_count, 1);
  const ShareOutcome other = Share(2, 5);
  EXPECT_TRUE(other.counted);
  EXPECT_EQ(other.share_count, 2);

  clock_.Advance(1ms);  // midnight: a new UTC day
  const ShareOutcome next_day = Share(1, 5);
  EXPECT_TRUE(next_day.counted);
  EXPECT_EQ(next_day.share_count, 3);
  clock_.Advance(24h - 1ms);  // still that day
  EXPECT_FALSE(Share(1, 5).counted);
  EXPECT_EQ(Stat(5, 0).share_count, 3);
  // Only the latest day is kept per user and video: the rows stay bounded.
  const std::int64_t rows = db_->Read([](db::Connection& conn) {
    auto row = conn.Prepare("SELECT COUNT(*) FROM shares WHERE user_id = 1");
    row.Step();
    return row.Int(0);
  });
  EXPECT_EQ(rows, 1);
}

TEST_F(CollectionServiceTest, RacingSharesBySameUserCountOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> counted{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      if (auto r = service_->Share(1, 8); r.ok() && r->counted) ++counted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(counted.load(), 1);
  EXPECT_EQ(Stat(8, 0).share_count, 1);
}

TEST_F(CollectionServiceTest, UnknownAndHiddenVideosAreNotFoundAndChangeNothing) {
  for (std::int64_t video : {std::int64_t{0}, std::int64_t{51}, kPrivateVideo}) {
    EXPECT_EQ(service_->Collect(1, video).status().reason, "VIDEO_NOT_FOUND") << video;
    EXPECT_EQ(service_->Uncollect(1, video).status().reason, "VIDEO_NOT_FOUND") << video;
    EXPECT_EQ(service_->Share(1, video).status().reason, "VIDEO_NOT_FOUND") << video;
  }
  EXPECT_EQ(Stat(kPrivateVideo, 1).collect_count, 0);
  EXPECT_EQ(Stat(kPrivateVideo, 1).share_count, 0);
  // Its author may bookmark and share their own private video.
  EXPECT_TRUE(Collect(kPrivateAuthor, kPrivateVideo));
  EXPECT_TRUE(Share(kPrivateAuthor, kPrivateVideo).counted);
  EXPECT_EQ(service_->Collect(-1, 5).status().reason, "USER_ID_INVALID");
  EXPECT_EQ(service_->Share(0, 5).status().reason, "USER_ID_INVALID");
}

}  // namespace
}  // namespace reel::favorite
