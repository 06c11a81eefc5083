// The favorite RPCs the job service calls, through FavoriteRpc down to the cached SQL stores on
// every engine: ForgetVideo (a deleted video's likes, bookmarks and shares, counters exact,
// a repeat removes nothing) and ReconcileCounters (drift injected with SQL is repaired,
// reported per counter, and seen through the caches; a second run fixes nothing).
#include <gtest/gtest.h>

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "favorite/api/favorite_rpc.hpp"
#include "favorite/store/cached_favorite_repository.hpp"
#include "favorite/store/favorite_migrations.hpp"
#include "favorite/store/sql_collection_repository.hpp"
#include "favorite/store/sql_favorite_repository.hpp"
#include "kit/clock/clock.hpp"
#include "kit/db/testing/test_database.hpp"
#include "kit/events/commit_hook.hpp"

namespace reel::favorite {
namespace {

constexpr std::int64_t kAuthorA = 100;  // of videos 10 and 11
constexpr std::int64_t kAuthorB = 101;  // of video 12

// Neither RPC asks the directories; the services need them to be built.
class NoVideos final : public VideoDirectory {
 public:
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t, std::int64_t) override {
    return std::optional<std::int64_t>();
  }
};
class EveryUser final : public UserDirectory {
 public:
  Result<bool> Exists(std::int64_t) override { return true; }
};

class FavoriteJobRpcsTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_favorite_job_rpcs");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "favorite",
                                                            FavoriteMigrations());
    likes_store_ = std::make_unique<SqlFavoriteRepository>(database_->db());
    likes_ = std::make_unique<CachedFavoriteRepository>(*likes_store_, 100);
    bookmarks_ = std::make_unique<SqlCollectionRepository>(database_->db());
    service_ = std::make_unique<FavoriteService>(*likes_, videos_, users_, committed_, clock_);
    collections_ = std::make_unique<CollectionService>(*bookmarks_, videos_, users_, clock_);
    rpc_ = std::make_unique<FavoriteRpc>(*service_, *collections_);
  }
  void TearDown() override {
    rpc_.reset();
    collections_.reset();
    service_.reset();
    bookmarks_.reset();
    likes_.reset();
    likes_store_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Each {user, video}: the user likes the video.
  void Like(std::initializer_list<std::pair<std::int64_t, std::int64_t>> likes) {
    for (const auto& [user, video] : likes) {
      const std::int64_t author = video == 12 ? kAuthorB : kAuthorA;
      ASSERT_TRUE(likes_->AddFavorite(Favorite{user, video, author, 1}));
    }
  }
  // Each {user, video}: the user bookmarks the video.
  void Bookmark(std::initializer_list<std::pair<std::int64_t, std::int64_t>> bookmarks) {
    for (const auto& [user, video] : bookmarks) {
      ASSERT_TRUE(bookmarks_->AddBookmark(user, video, 1));
    }
  }
  void Sql(const std::string& sql) {
    database_->db().Write([&](db::Connection& conn) { conn.Prepare(sql).Run(); });
  }
  std::int64_t Int(const std::string& sql) { return db::testing::QueryInt(database_->db(), sql); }

  // As callers see them: through the service, so through the caches.
  std::int64_t VideoLikes(std::int64_t video) {
    const std::int64_t ids[] = {video};
    return service_->VideoStats(ids, 0).at(video).favorite_count;
  }
  UserFavoriteStat User(std::int64_t user) {
    const std::int64_t ids[] = {user};
    return service_->UserStats(ids).at(user);
  }
  std::int64_t Collects(std::int64_t video) {
    const std::int64_t ids[] = {video};
    auto stats = service_->VideoStats(ids, 0);
    collections_->AddVideoStats(stats, ids, 0, false);
    return stats.at(video).collect_count;
  }

  // "counter=rows_fixed" per repair, in the reply's order.
  std::vector<std::string> Reconcile() {
    auto reply = rpc_->ReconcileCounters(v1::ReconcileCountersRequest());
    EXPECT_TRUE(reply.ok());
    std::vector<std::string> out;
    if (!reply.ok()) return out;
    for (const auto& repair : reply->repairs()) {
      out.push_back(repair.counter() + "=" + std::to_string(repair.rows_fixed()));
    }
    return out;
  }

  std::int64_t Forget(std::int64_t video) {
    v1::ForgetVideoRequest request;
    request.set_video_id(video);
    auto reply = rpc_->ForgetVideo(request);
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? reply->removed() : -1;
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  std::unique_ptr<SqlFavoriteRepository> likes_store_;
  std::unique_ptr<CachedFavoriteRepository> likes_;
  std::unique_ptr<SqlCollectionRepository> bookmarks_;
  NoVideos videos_;
  EveryUser users_;
  events::NoCommitHook committed_;
  ManualClock clock_;
  std::unique_ptr<FavoriteService> service_;
  std::unique_ptr<CollectionService> collections_;
  std::unique_ptr<FavoriteRpc> rpc_;
};

TEST_P(FavoriteJobRpcsTest, ReconcileRepairsExactlyTheDriftedCountersAndReportsThem) {
  // Likes: video 10 by users 1, 2, 3; video 11 by user 1; video 12 by users 2, 4.
  Like({{1, 10}, {2, 10}, {3, 10}, {1, 11}, {2, 12}, {4, 12}});
  // Bookmarks: video 10 by users 1, 2; video 11 by user 3.
  Bookmark({{1, 10}, {2, 10}, {3, 11}});
  EXPECT_EQ(Reconcile(), (std::vector<std::string>{"video_favorite_counts.favorite_count=0",
                                                   "user_favorite_counts.favorite_count=0",
                                                   "user_favorite_counts.total_favorited=0",
                                                   "video_collection_counts.collect_count=0"}));

  // Drift of every kind: too high, too low, a missing row, a row whose rows are all gone.
  Sql("UPDATE video_favorite_counts SET favorite_count = 8 WHERE video_id = 10");
  Sql("UPDATE video_favorite_counts SET favorite_count = 0 WHERE video_id = 11");
  Sql("DELETE FROM video_favorite_counts WHERE video_id = 12");
  Sql("INSERT INTO video_favorite_counts (video_id, favorite_count) VALUES (99, 7)");
  Sql("UPDATE user_favorite_counts SET favorite_count = 5 WHERE user_id = 1");
  Sql("DELETE FROM user_favorite_counts WHERE user_id = 4");  // a liker only: total 0
  Sql("INSERT INTO user_favorite_counts (user_id, favorite_count, total_favorited) "
      "VALUES (77, 3, 0), (88, 0, 4)");
  Sql("UPDATE user_favorite_counts SET total_favorited = 1 WHERE user_id = 100");
  Sql("UPDATE video_collection_counts SET collect_count = 9 WHERE video_id = 10");
  Sql("DELETE FROM video_collection_counts WHERE video_id = 11");
  Sql("INSERT INTO video_collection_counts (video_id, collect_count, share_count) "
      "VALUES (98, 5, 2)");
  // Read once, so the caches hold the drifted values the repair must drop.
  ASSERT_EQ(VideoLikes(10), 8);
  ASSERT_EQ(User(1).favorite_count, 5);
  ASSERT_EQ(User(100).total_favorited, 1);

  EXPECT_EQ(Reconcile(), (std::vector<std::string>{
                             "video_favorite_counts.favorite_count=4",   // 10, 11, 12, 99
                             "user_favorite_counts.favorite_count=3",    // 1, 4, 77
                             "user_favorite_counts.total_favorited=2",   // 100, 88
                             "video_collection_counts.collect_count=3",  // 10, 11, 98
                         }));

  EXPECT_EQ(VideoLikes(10), 3);
  EXPECT_EQ(VideoLikes(11), 1);
  EXPECT_EQ(VideoLikes(12), 2);
  EXPECT_EQ(VideoLikes(99), 0);
  EXPECT_EQ(User(1).favorite_count, 2);
  EXPECT_EQ(User(2).favorite_count, 2);
  EXPECT_EQ(User(4).favorite_count, 1);
  EXPECT_EQ(User(77).favorite_count, 0);
  EXPECT_EQ(User(100).total_favorited, 4);
  EXPECT_EQ(User(101).total_favorited, 2);
  EXPECT_EQ(User(88).total_favorited, 0);
  EXPECT_EQ(Collects(10), 2);
  EXPECT_EQ(Collects(11), 1);
  EXPECT_EQ(Collects(98), 0);
  // Shares are not derivable from rows, so the repair leaves share_count alone.
  EXPECT_EQ(Int("SELECT share_count FROM video_collection_counts WHERE video_id = 98"), 2);
  // A created row has the true value, and the other column of user 4's its default.
  EXPECT_EQ(Int("SELECT total_favorited FROM user_favorite_counts WHERE user_id = 4"), 0);

  EXPECT_EQ(Reconcile(), (std::vector<std::string>{"video_favorite_counts.favorite_count=0",
                                                   "user_favorite_counts.favorite_count=0",
                                                   "user_favorite_counts.total_favorited=0",
                                                   "video_collection_counts.collect_count=0"}));
}

TEST_P(FavoriteJobRpcsTest, ReconcileCreatesBothColumnsOfAMissingUserRow) {
  // User 100 likes their own video 10 and user 2 likes it too.
  Like({{100, 10}, {2, 10}});
  Sql("DELETE FROM user_favorite_counts WHERE user_id = 100");
  EXPECT_EQ(Reconcile(), (std::vector<std::string>{"video_favorite_counts.favorite_count=0",
                                                   "user_favorite_counts.favorite_count=1",
                                                   "user_favorite_counts.total_favorited=1",
                                                   "video_collection_counts.collect_count=0"}));
  EXPECT_EQ(User(100).favorite_count, 1);
  EXPECT_EQ(User(100).total_favorited, 2);
}

TEST_P(FavoriteJobRpcsTest, ForgetVideoRemovesLikesBookmarksAndSharesWithExactCounters) {
  Like({{1, 10}, {2, 10}, {3, 10}, {1, 11}, {2, 12}});
  Bookmark({{1, 10}, {2, 10}, {1, 11}});
  ASSERT_TRUE(bookmarks_->AddShare(3, 10, 1).counted);
  ASSERT_EQ(VideoLikes(10), 3);  // cached now: ForgetVideo must drop it
  ASSERT_EQ(User(1).favorite_count, 2);

  EXPECT_EQ(Forget(10), 3 + 2 + 1);  // likes, bookmarks, shares

  EXPECT_EQ(Int("SELECT COUNT(*) FROM favorites WHERE video_id = 10"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM bookmarks WHERE video_id = 10"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM shares WHERE video_id = 10"), 0);
  EXPECT_EQ(VideoLikes(10), 0);
  EXPECT_EQ(Collects(10), 0);
  EXPECT_EQ(User(1).favorite_count, 1);
  EXPECT_EQ(User(2).favorite_count, 1);
  EXPECT_EQ(User(3).favorite_count, 0);
  EXPECT_EQ(User(kAuthorA).total_favorited, 1);  // video 11's like
  EXPECT_EQ(User(kAuthorB).total_favorited, 1);
  EXPECT_EQ(VideoLikes(11), 1);
  EXPECT_EQ(Collects(11), 1);
  // The cascade left every counter equal to its rows.
  EXPECT_EQ(Reconcile(), (std::vector<std::string>{"video_favorite_counts.favorite_count=0",
                                                   "user_favorite_counts.favorite_count=0",
                                                   "user_favorite_counts.total_favorited=0",
                                                   "video_collection_counts.collect_count=0"}));

  EXPECT_EQ(Forget(10), 0);
  EXPECT_EQ(User(1).favorite_count, 1);
  EXPECT_EQ(Forget(404), 0);  // never had anything
}

INSTANTIATE_TEST_SUITE_P(Engines, FavoriteJobRpcsTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::favorite
