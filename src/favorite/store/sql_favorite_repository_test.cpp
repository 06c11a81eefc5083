#include "favorite/store/sql_favorite_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "favorite/store/favorite_migrations.hpp"
#include "kit/db/testing/test_database.hpp"

namespace reel::favorite {
namespace {

constexpr int kUsers = 5;
constexpr int kVideos = 6;

// Video v (1..kVideos) is by user 1 + v % 3, so some likes are of the liker's own video.
std::int64_t AuthorOf(std::int64_t video_id) {
  return 1 + video_id % 3;
}

// Runs on every engine (db::testing::AllEngines): a temp SQLite file, or a fresh database on
// the suite's MariaDB.
class SqlFavoriteRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_favorite_repo");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "favorite",
                                                            FavoriteMigrations());
    db_ = &database_->db();
    repo_ = std::make_unique<SqlFavoriteRepository>(*db_);
  }
  void TearDown() override {
    repo_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  // `SELECT <column>, COUNT(*) FROM favorites GROUP BY <column>`: what the counters must say.
  std::map<std::int64_t, std::int64_t> GroundTruth(const std::string& column) {
    return db_->Read([&](db::Connection& conn) {
      std::map<std::int64_t, std::int64_t> counts;
      auto rows = conn.Prepare("SELECT " + column + ", COUNT(*) FROM favorites GROUP BY " + column);
      while (rows.Step()) counts[rows.Int(0)] = rows.Int(1);
      return counts;
    });
  }

  bool Add(std::int64_t user, std::int64_t video) {
    return repo_->AddFavorite(Favorite{user, video, AuthorOf(video), 1});
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlFavoriteRepository> repo_;
};

TEST_P(SqlFavoriteRepositoryTest, ConcurrentLikesAndUnlikesKeepEveryCounterExact) {
  constexpr int kThreads = 8;
  constexpr int kOpsPerThread = 300;
  std::atomic<std::int64_t> net_changes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t) + 1);  // seeded: a failure can be replayed
      std::uniform_int_distribution<std::int64_t> user(1, kUsers);
      std::uniform_int_distribution<std::int64_t> video(1, kVideos);
      for (int i = 0; i < kOpsPerThread; ++i) {
        const std::int64_t u = user(rng);
        const std::int64_t v = video(rng);
        if (rng() % 2 == 0) {
          if (Add(u, v)) ++net_changes;
        } else {
          if (repo_->RemoveFavorite(u, v)) --net_changes;
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  const auto by_video = GroundTruth("video_id");
  const auto by_user = GroundTruth("user_id");
  const auto by_author = GroundTruth("author_id");
  std::int64_t rows = 0;
  for (const auto& [video, count] : by_video) rows += count;
  EXPECT_EQ(rows, net_changes.load());  // `changed` was reported exactly once per real change
  EXPECT_GT(rows, 0);

  std::vector<std::int64_t> videos;
  for (std::int64_t v = 1; v <= kVideos; ++v) videos.push_back(v);
  const auto video_counts = repo_->CountByVideos(videos);
  for (std::int64_t v : videos) {
    const auto truth = by_video.contains(v) ? by_video.at(v) : 0;
    const auto counted = video_counts.contains(v) ? video_counts.at(v) : 0;
    EXPECT_EQ(counted, truth) << "video " << v;
  }
  std::vector<std::int64_t> users;
  for (std::int64_t u = 1; u <= kUsers; ++u) users.push_back(u);
  const auto user_counts = repo_->CountByUsers(users);
  for (std::int64_t u : users) {
    const UserFavoriteStat counted =
        user_counts.contains(u) ? user_counts.at(u) : UserFavoriteStat{};
    EXPECT_EQ(counted.favorite_count, by_user.contains(u) ? by_user.at(u) : 0) << "user " << u;
    EXPECT_EQ(counted.total_favorited, by_author.contains(u) ? by_author.at(u) : 0)
        << "author " << u;
  }
}

TEST_P(SqlFavoriteRepositoryTest, RepeatsChangeNoRowAndNoCounter) {
  EXPECT_TRUE(Add(1, 4));
  EXPECT_FALSE(Add(1, 4));
  EXPECT_EQ(GroundTruth("video_id").at(4), 1);
  const std::int64_t video[] = {4};
  EXPECT_EQ(repo_->CountByVideos(video).at(4), 1);
  EXPECT_TRUE(repo_->RemoveFavorite(1, 4));
  EXPECT_FALSE(repo_->RemoveFavorite(1, 4));
  EXPECT_EQ(repo_->CountByVideos(video).at(4), 0);
}

TEST_P(SqlFavoriteRepositoryTest, UnlikeTakesTheLikeBackFromTheRecordedAuthor) {
  // The like remembers author 9 even if the video later reports someone else.
  ASSERT_TRUE(repo_->AddFavorite(Favorite{1, 4, 9, 1}));
  EXPECT_EQ(repo_->RemoveFavorite(1, 4), 9) << "the author the like was counted for";
  const std::int64_t users[] = {9};
  EXPECT_EQ(repo_->CountByUsers(users).at(9).total_favorited, 0);
}

TEST_P(SqlFavoriteRepositoryTest, ACounterThatWouldGoNegativeRollsTheUnlikeBack) {
  ASSERT_TRUE(Add(1, 4));
  // Damage the counter by hand; the next unlike must fail whole, not go below zero.
  db_->Write([](db::Connection& conn) {
    conn.Exec("UPDATE video_favorite_counts SET favorite_count = 0 WHERE video_id = 4");
  });
  EXPECT_THROW(repo_->RemoveFavorite(1, 4), db::Error);
  EXPECT_EQ(repo_->ListLiked(1, 0, 10).size(), 1u);
  const std::int64_t users[] = {1};
  EXPECT_EQ(repo_->CountByUsers(users).at(1).favorite_count, 1);
}

TEST_P(SqlFavoriteRepositoryTest, ListLikedUsesTheExclusiveIdCursor) {
  for (std::int64_t v = 1; v <= 5; ++v) ASSERT_TRUE(Add(2, v));
  const auto all = repo_->ListLiked(2, 0, 10);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front().video_id, 5);
  const auto rest = repo_->ListLiked(2, all[1].favorite_id, 10);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest.front().video_id, 3);
  EXPECT_TRUE(repo_->ListLiked(3, 0, 10).empty());
}

TEST_P(SqlFavoriteRepositoryTest, RemovingAVideosLikesTakesThemFromTheRecordedAuthors) {
  // Two likes of video 4 were counted for author 9 and one for its current author: each
  // goes back to whom it was counted for.
  ASSERT_TRUE(repo_->AddFavorite(Favorite{1, 4, 9, 1}));
  ASSERT_TRUE(repo_->AddFavorite(Favorite{2, 4, 9, 1}));
  ASSERT_TRUE(Add(3, 4));
  ASSERT_TRUE(Add(3, 5));
  EXPECT_EQ(repo_->RemoveLikesOfVideo(4), 3);
  EXPECT_EQ(repo_->RemoveLikesOfVideo(4), 0);  // a repeat finds nothing and moves nothing

  const std::int64_t users[] = {1, 2, 3, 9, AuthorOf(4), AuthorOf(5)};
  const auto stats = repo_->CountByUsers(users);
  EXPECT_EQ(stats.at(1).favorite_count, 0);
  EXPECT_EQ(stats.at(2).favorite_count, 0);
  EXPECT_EQ(stats.at(3).favorite_count, 1);
  EXPECT_EQ(stats.at(9).total_favorited, 0);
  EXPECT_EQ(stats.at(AuthorOf(5)).total_favorited, 1);
  const std::int64_t videos[] = {4, 5};
  const auto counts = repo_->CountByVideos(videos);
  EXPECT_FALSE(counts.contains(4));  // the deleted video's counter is gone, not left at 0
  EXPECT_EQ(counts.at(5), 1);
}

TEST_P(SqlFavoriteRepositoryTest, ADamagedCounterRollsTheWholeRemovalBack) {
  ASSERT_TRUE(Add(1, 4));
  ASSERT_TRUE(Add(2, 4));
  db_->Write([](db::Connection& conn) {
    conn.Exec("UPDATE user_favorite_counts SET favorite_count = 0 WHERE user_id = 2");
  });
  EXPECT_THROW(repo_->RemoveLikesOfVideo(4), db::Error);
  EXPECT_EQ(GroundTruth("video_id").at(4), 2);
  const std::int64_t video[] = {4};
  EXPECT_EQ(repo_->CountByVideos(video).at(4), 2);
}

TEST_P(SqlFavoriteRepositoryTest, MostLikedRanksByCountThenHigherId) {
  for (std::int64_t u = 1; u <= 3; ++u) ASSERT_TRUE(Add(u, 2));
  for (std::int64_t u = 1; u <= 3; ++u) ASSERT_TRUE(Add(u, 5));
  ASSERT_TRUE(Add(1, 3));
  ASSERT_TRUE(Add(1, 6));
  ASSERT_TRUE(repo_->RemoveFavorite(1, 6));
  const auto top = repo_->MostLiked(10);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].video_id, 5);
  EXPECT_EQ(top[1].video_id, 2);
  EXPECT_EQ(top[2].video_id, 3);
  EXPECT_EQ(top[2].count, 1);
  EXPECT_EQ(repo_->MostLiked(1).size(), 1u);
}

// The ranking and the cascade must not scan or sort whole tables: each engine's plan for each
// statement names an index and no sort (SQLite: EXPLAIN QUERY PLAN without a temp B-tree;
// MySQL: EXPLAIN's key column, and no filesort in Extra).
TEST_P(SqlFavoriteRepositoryTest, RankingAndCascadeAreServedByIndexes) {
  const bool mysql = GetParam() == db::Engine::kMysql;
  const auto plan = [&](const std::string& sql) { return db::testing::QueryPlan(*db_, sql); };
  const std::string ranking = plan(
      "SELECT video_id, favorite_count FROM video_favorite_counts WHERE favorite_count > 0 "
      "ORDER BY favorite_count DESC, video_id DESC LIMIT 10");
  EXPECT_NE(ranking.find("video_favorite_counts_by_count"), std::string::npos) << ranking;
  EXPECT_EQ(ranking.find(mysql ? "filesort" : "TEMP B-TREE"), std::string::npos) << ranking;
  const std::string cascade = plan("SELECT user_id, author_id FROM favorites WHERE video_id = 1");
  EXPECT_NE(cascade.find("favorites_by_video"), std::string::npos) << cascade;
}

TEST_P(SqlFavoriteRepositoryTest, RacingDuplicateLikesCountOnce) {
  // Every writer likes the same video at once: the unique key lets one row in, and only the
  // writer whose insert made it moves the counters.
  constexpr int kThreads = 8;
  std::atomic<int> added{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      if (Add(1, 4)) ++added;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(added.load(), 1);
  EXPECT_EQ(GroundTruth("video_id").at(4), 1);
  const std::int64_t video[] = {4};
  EXPECT_EQ(repo_->CountByVideos(video).at(4), 1);
  const std::int64_t users[] = {1, AuthorOf(4)};
  const auto stats = repo_->CountByUsers(users);
  EXPECT_EQ(stats.at(1).favorite_count, 1);
  EXPECT_EQ(stats.at(AuthorOf(4)).total_favorited, 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, SqlFavoriteRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::favorite
