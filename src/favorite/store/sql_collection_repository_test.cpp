// SqlCollectionRepository on every engine: bookmarks and shares idempotent, their counters
// equal to the rows (COUNT(*)) under racing writers, the collection setting's upsert.
#include "favorite/store/sql_collection_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "favorite/store/favorite_migrations.hpp"
#include "kit/db/testing/test_database.hpp"

namespace reel::favorite {
namespace {

constexpr std::int64_t kToday = 20000;  // a UTC day, days since 1970

class SqlCollectionRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_collection_repo");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "favorite",
                                                            FavoriteMigrations());
    repo_ = std::make_unique<SqlCollectionRepository>(database_->db());
  }
  void TearDown() override {
    repo_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  // `SELECT video_id, COUNT(*) FROM <table> GROUP BY video_id`: what the counters must say.
  std::map<std::int64_t, std::int64_t> RowsByVideo(const std::string& table) {
    return database_->db().Read([&](db::Connection& conn) {
      std::map<std::int64_t, std::int64_t> counts;
      auto rows = conn.Prepare("SELECT video_id, COUNT(*) FROM " + table + " GROUP BY video_id");
      while (rows.Step()) counts[rows.Int(0)] = rows.Int(1);
      return counts;
    });
  }
  VideoCollectionCounts Counts(std::int64_t video) {
    const std::int64_t ids[] = {video};
    const auto counts = repo_->CountsByVideos(ids);
    return counts.contains(video) ? counts.at(video) : VideoCollectionCounts{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  std::unique_ptr<SqlCollectionRepository> repo_;
};

TEST_P(SqlCollectionRepositoryTest, ABookmarkIsCountedOnceAndTakenBackOnce) {
  EXPECT_TRUE(repo_->AddBookmark(1, 4, 100));
  EXPECT_FALSE(repo_->AddBookmark(1, 4, 200)) << "a repeat changes nothing";
  EXPECT_TRUE(repo_->AddBookmark(2, 4, 300));
  EXPECT_EQ(Counts(4).collect_count, 2);
  const std::int64_t videos[] = {4, 5};
  EXPECT_EQ(repo_->CollectedAmong(1, videos), std::unordered_set<std::int64_t>{4});
  EXPECT_TRUE(repo_->CollectedAmong(3, videos).empty());

  EXPECT_TRUE(repo_->RemoveBookmark(1, 4));
  EXPECT_FALSE(repo_->RemoveBookmark(1, 4));
  EXPECT_EQ(Counts(4).collect_count, 1);
  EXPECT_EQ(RowsByVideo("bookmarks").at(4), 1);
}

TEST_P(SqlCollectionRepositoryTest, ListBookmarksUsesTheExclusiveIdCursor) {
  for (std::int64_t v = 1; v <= 5; ++v) ASSERT_TRUE(repo_->AddBookmark(2, v, v));
  const auto all = repo_->ListBookmarks(2, 0, 10);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front().video_id, 5);
  const auto rest = repo_->ListBookmarks(2, all[1].bookmark_id, 2);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest.front().video_id, 3);
  EXPECT_TRUE(repo_->ListBookmarks(3, 0, 10).empty());
}

TEST_P(SqlCollectionRepositoryTest, AShareCountsOncePerUserVideoAndDayAndKeepsOneRow) {
  auto first = repo_->AddShare(1, 4, kToday);
  EXPECT_TRUE(first.counted);
  EXPECT_EQ(first.share_count, 1);
  auto again = repo_->AddShare(1, 4, kToday);
  EXPECT_FALSE(again.counted);
  EXPECT_EQ(again.share_count, 1) << "the count it found, read in the same transaction";
  auto next_day = repo_->AddShare(1, 4, kToday + 1);
  EXPECT_TRUE(next_day.counted);
  EXPECT_EQ(next_day.share_count, 2);
  EXPECT_EQ(RowsByVideo("shares").at(4), 1) << "the older day's row went";
  EXPECT_EQ(Counts(4).share_count, 2);
  EXPECT_EQ(Counts(4).collect_count, 0);
}

TEST_P(SqlCollectionRepositoryTest, RemovingAVideosCollectionsTakesRowsAndCounters) {
  ASSERT_TRUE(repo_->AddBookmark(1, 4, 1));
  ASSERT_TRUE(repo_->AddBookmark(2, 4, 1));
  ASSERT_TRUE(repo_->AddShare(1, 4, kToday).counted);
  ASSERT_TRUE(repo_->AddBookmark(1, 5, 1));
  EXPECT_EQ(repo_->RemoveCollectionsOfVideo(4), 3);
  EXPECT_EQ(repo_->RemoveCollectionsOfVideo(4), 0) << "a repeat finds nothing";
  const std::int64_t videos[] = {4, 5};
  const auto counts = repo_->CountsByVideos(videos);
  EXPECT_FALSE(counts.contains(4)) << "the deleted video's counters are gone, not left at 0";
  EXPECT_EQ(counts.at(5).collect_count, 1);
  EXPECT_FALSE(RowsByVideo("bookmarks").contains(4));
  EXPECT_FALSE(RowsByVideo("shares").contains(4));
}

TEST_P(SqlCollectionRepositoryTest, ACounterThatWouldGoNegativeRollsTheRemovalBack) {
  ASSERT_TRUE(repo_->AddBookmark(1, 4, 1));
  database_->db().Write([](db::Connection& conn) {
    conn.Exec("UPDATE video_collection_counts SET collect_count = 0 WHERE video_id = 4");
  });
  EXPECT_THROW(repo_->RemoveBookmark(1, 4), db::Error);
  EXPECT_EQ(RowsByVideo("bookmarks").at(4), 1) << "the bookmark stayed";
}

TEST_P(SqlCollectionRepositoryTest, TheCollectionSettingIsPrivateUntilSetAndSetAsOftenAsAsked) {
  EXPECT_FALSE(repo_->CollectionsPublic(1));
  repo_->SetCollectionsPublic(1, true);
  EXPECT_TRUE(repo_->CollectionsPublic(1));
  repo_->SetCollectionsPublic(1, true);  // an upsert that changes no value
  EXPECT_TRUE(repo_->CollectionsPublic(1));
  repo_->SetCollectionsPublic(1, false);
  EXPECT_FALSE(repo_->CollectionsPublic(1));
  EXPECT_FALSE(repo_->CollectionsPublic(2));
}

TEST_P(SqlCollectionRepositoryTest, RacingDuplicateBookmarksAndSharesCountOnce) {
  constexpr int kThreads = 8;
  std::atomic<int> bookmarked{0}, shared{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      if (repo_->AddBookmark(1, 4, 1)) ++bookmarked;
      if (repo_->AddShare(1, 4, kToday).counted) ++shared;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bookmarked.load(), 1);
  EXPECT_EQ(shared.load(), 1);
  EXPECT_EQ(Counts(4).collect_count, 1);
  EXPECT_EQ(Counts(4).share_count, 1);
}

TEST_P(SqlCollectionRepositoryTest, ConcurrentWritersKeepEveryCounterEqualToTheRows) {
  // Bookmarks, unbookmarks and shares at random, all on one day, so every counter must end
  // equal to a COUNT(*) over its rows.
  constexpr int kThreads = 6, kOps = 200, kUsers = 5, kVideos = 4;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t) + 1);  // seeded: a failure can be replayed
      for (int i = 0; i < kOps; ++i) {
        const std::int64_t user = 1 + rng() % kUsers, video = 1 + rng() % kVideos;
        switch (rng() % 3) {
          case 0:
            repo_->AddBookmark(user, video, i);
            break;
          case 1:
            repo_->RemoveBookmark(user, video);
            break;
          default:
            repo_->AddShare(user, video, kToday);
            break;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto bookmarks = RowsByVideo("bookmarks"), shares = RowsByVideo("shares");
  EXPECT_FALSE(shares.empty());
  for (std::int64_t v = 1; v <= kVideos; ++v) {
    const VideoCollectionCounts counts = Counts(v);
    EXPECT_EQ(counts.collect_count, bookmarks.contains(v) ? bookmarks.at(v) : 0) << "video " << v;
    EXPECT_EQ(counts.share_count, shares.contains(v) ? shares.at(v) : 0) << "video " << v;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, SqlCollectionRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::favorite
