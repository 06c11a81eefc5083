#include "favorite/store/cached_favorite_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <thread>
#include <unordered_set>

#include "favorite/store/favorite_migrations.hpp"
#include "favorite/store/sql_favorite_repository.hpp"
#include "kit/db/testing/test_database.hpp"

namespace reel::favorite {
namespace {

// Video v is by user 100 + v % 3.
std::int64_t AuthorOf(std::int64_t video_id) {
  return 100 + video_id % 3;
}

// Over the real store on every engine (db::testing::AllEngines): a temp SQLite file, or a
// fresh database on the suite's MariaDB.
class CachedFavoriteRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_cached_favorite");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "favorite",
                                                            FavoriteMigrations());
    db_ = &database_->db();
    store_ = std::make_unique<SqlFavoriteRepository>(*db_);
    cached_ = std::make_unique<CachedFavoriteRepository>(*store_, 1000);
  }
  void TearDown() override {
    cached_.reset();
    store_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  bool Add(std::int64_t user, std::int64_t video) {
    return cached_->AddFavorite(Favorite{user, video, AuthorOf(video), 1});
  }
  std::int64_t VideoCount(std::int64_t video) {
    const std::int64_t ids[] = {video};
    auto counts = cached_->CountByVideos(ids);
    return counts.contains(video) ? counts.at(video) : 0;
  }
  UserFavoriteStat UserStat(std::int64_t user) {
    const std::int64_t ids[] = {user};
    auto stats = cached_->CountByUsers(ids);
    return stats.contains(user) ? stats.at(user) : UserFavoriteStat{};
  }
  // Changes a counter behind the cache's back, as no real writer may.
  void DamageVideoCount(std::int64_t video, std::int64_t count) {
    db_->Write([&](db::Connection& conn) {
      conn.Prepare("UPDATE video_favorite_counts SET favorite_count = ? WHERE video_id = ?")
          .BindAll(count, video)
          .Run();
    });
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlFavoriteRepository> store_;
  std::unique_ptr<CachedFavoriteRepository> cached_;
};

TEST_P(CachedFavoriteRepositoryTest, CountersAreServedFromMemoryOnceRead) {
  ASSERT_TRUE(Add(1, 4));
  EXPECT_EQ(VideoCount(4), 1);
  DamageVideoCount(4, 50);
  EXPECT_EQ(VideoCount(4), 1) << "the second read came from the cache, not the store";
  const std::int64_t ids[] = {4};
  EXPECT_EQ(store_->CountByVideos(ids).at(4), 50);
}

TEST_P(CachedFavoriteRepositoryTest, LikeAndUnlikeMoveTheCachedCountersOfVideoLikerAndAuthor) {
  const std::int64_t author = AuthorOf(4);
  // Fill the cache, absent entries included.
  EXPECT_EQ(VideoCount(4), 0);
  EXPECT_EQ(UserStat(1).favorite_count, 0);
  EXPECT_EQ(UserStat(author).total_favorited, 0);

  ASSERT_TRUE(Add(1, 4));
  EXPECT_EQ(VideoCount(4), 1);
  EXPECT_EQ(UserStat(1).favorite_count, 1);
  EXPECT_EQ(UserStat(author).total_favorited, 1);

  EXPECT_FALSE(Add(1, 4)) << "a repeat changes nothing";
  EXPECT_EQ(VideoCount(4), 1);

  EXPECT_EQ(cached_->RemoveFavorite(1, 4), author);
  EXPECT_EQ(VideoCount(4), 0);
  EXPECT_EQ(UserStat(1).favorite_count, 0);
  EXPECT_EQ(UserStat(author).total_favorited, 0);
  EXPECT_EQ(cached_->RemoveFavorite(1, 4), std::nullopt);
}

TEST_P(CachedFavoriteRepositoryTest, WhetherAUserLikesAVideoFollowsLikesUnlikesAndCascades) {
  using Set = std::unordered_set<std::int64_t>;
  const std::int64_t videos[] = {4, 5, 6};
  ASSERT_TRUE(Add(1, 5));
  EXPECT_EQ(cached_->LikedAmong(1, videos), Set{5});
  EXPECT_EQ(cached_->LikedAmong(2, videos), Set{});
  ASSERT_TRUE(Add(1, 4));
  ASSERT_TRUE(Add(2, 6));
  EXPECT_EQ(cached_->LikedAmong(1, videos), (Set{4, 5}));
  EXPECT_EQ(cached_->LikedAmong(2, videos), Set{6});
  ASSERT_TRUE(cached_->RemoveFavorite(1, 5));
  EXPECT_EQ(cached_->LikedAmong(1, videos), Set{4});
  ASSERT_EQ(cached_->RemoveLikesOfVideo(4), 1);
  EXPECT_EQ(cached_->LikedAmong(1, videos), Set{});
  EXPECT_EQ(cached_->LikedAmong(2, videos), Set{6});
  // Served from memory: a like stored behind the cache's back is not seen.
  ASSERT_TRUE(store_->AddFavorite(Favorite{2, 5, AuthorOf(5), 1}));
  EXPECT_EQ(cached_->LikedAmong(2, videos), Set{6});
}

TEST_P(CachedFavoriteRepositoryTest, RemovingAVideosLikesMovesEveryLikersCachedCounter) {
  for (std::int64_t user = 1; user <= 5; ++user) ASSERT_TRUE(Add(user, 7));
  ASSERT_TRUE(Add(1, 8));
  EXPECT_EQ(VideoCount(7), 5);
  for (std::int64_t user = 1; user <= 5; ++user) {
    EXPECT_EQ(UserStat(user).favorite_count, user == 1 ? 2 : 1);
  }
  EXPECT_EQ(UserStat(AuthorOf(7)).total_favorited, AuthorOf(7) == AuthorOf(8) ? 6 : 5);

  EXPECT_EQ(cached_->RemoveLikesOfVideo(7), 5);
  EXPECT_EQ(VideoCount(7), 0);
  for (std::int64_t user = 1; user <= 5; ++user) {
    EXPECT_EQ(UserStat(user).favorite_count, user == 1 ? 1 : 0) << "user " << user;
  }
  EXPECT_EQ(UserStat(AuthorOf(7)).total_favorited, AuthorOf(7) == AuthorOf(8) ? 1 : 0);
}

TEST_P(CachedFavoriteRepositoryTest, ConcurrentWritersAndReadersLeaveNoStaleCounter) {
  // Four writers like and unlike at random while two readers keep filling the cache; at the
  // end every counter read through the cache equals a count over the rows.
  constexpr int kUsers = 6, kVideos = 6;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      std::vector<std::int64_t> all;
      for (std::int64_t id = 1; id <= 200; ++id) all.push_back(id);
      while (!stop) {
        cached_->CountByVideos(all);
        cached_->CountByUsers(all);
        for (std::int64_t user = 1; user <= kUsers; ++user) cached_->LikedAmong(user, all);
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(w);
      for (int i = 0; i < 300; ++i) {
        const std::int64_t user = 1 + rng() % kUsers, video = 1 + rng() % kVideos;
        if (rng() % 2) {
          Add(user, video);
        } else {
          cached_->RemoveFavorite(user, video);
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  for (auto& t : threads) t.join();

  auto truth = [&](const char* column) {
    return db_->Read([&](db::Connection& conn) {
      std::map<std::int64_t, std::int64_t> counts;
      auto rows = conn.Prepare(std::string("SELECT ") + column +
                               ", COUNT(*) FROM favorites GROUP BY " + column);
      while (rows.Step()) counts[rows.Int(0)] = rows.Int(1);
      return counts;
    });
  };
  const auto by_video = truth("video_id"), by_user = truth("user_id"),
             by_author = truth("author_id");
  for (std::int64_t v = 1; v <= kVideos; ++v) {
    EXPECT_EQ(VideoCount(v), by_video.contains(v) ? by_video.at(v) : 0) << "video " << v;
  }
  for (std::int64_t u = 1; u <= kUsers; ++u) {
    EXPECT_EQ(UserStat(u).favorite_count, by_user.contains(u) ? by_user.at(u) : 0) << "user " << u;
  }
  std::vector<std::int64_t> videos;
  for (std::int64_t v = 1; v <= kVideos; ++v) videos.push_back(v);
  for (std::int64_t u = 1; u <= kUsers; ++u) {
    const auto truth_liked = db_->Read([&](db::Connection& conn) {
      std::unordered_set<std::int64_t> liked;
      auto rows = conn.Prepare("SELECT video_id FROM favorites WHERE user_id = ?");
      rows.BindAll(u);
      while (rows.Step()) liked.insert(rows.Int(0));
      return liked;
    });
    EXPECT_EQ(cached_->LikedAmong(u, videos), truth_liked) << "user " << u;
  }
  for (std::int64_t a = 100; a <= 102; ++a) {
    EXPECT_EQ(UserStat(a).total_favorited, by_author.contains(a) ? by_author.at(a) : 0)
        << "author " << a;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, CachedFavoriteRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::favorite
