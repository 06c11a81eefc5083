#include "favorite/domain/favorite_service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <tuple>
#include <vector>

#include "favorite/store/favorite_migrations.hpp"
#include "favorite/store/sql_favorite_repository.hpp"
#include "kit/db/sqlite.hpp"
#include "kit/events/testing/outbox_recorder.hpp"

namespace reel::favorite {
namespace {

// Videos 1..50; video v is by author 100 + v % 3; video 60 is private to its author 100.
class FakeVideoDirectory final : public VideoDirectory {
 public:
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id,
                                               std::int64_t viewer_id) override {
    if (down) return Unavailable("DEPENDENCY_UNAVAILABLE", "video.GetVideos: not reachable");
    // Video 60 is private to its author 100: others may not see it (kAllStates: any state).
    if (video_id == 60) {
      if (viewer_id != kAllStates && viewer_id != 100) return std::optional<std::int64_t>();
      return std::optional<std::int64_t>(100);
    }
    if (video_id < 1 || video_id > 50) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(100 + video_id % 3);
  }
  bool down = false;  // the video service cannot be reached
};

// Users 1..200 exist.
class FakeUserDirectory final : public UserDirectory {
 public:
  Result<bool> Exists(std::int64_t user_id) override {
    if (down) return Unavailable("DEPENDENCY_UNAVAILABLE", "user.BatchGetUsers: not reachable");
    return user_id >= 1 && user_id <= 200;
  }
  bool down = false;  // the user service cannot be reached
};

class FavoriteServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_favorite_service_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "f.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "favorite", FavoriteMigrations()).ok());
    recorder_ = std::make_unique<events::testing::OutboxRecorder>(*db_, clock_);
    recorder_->ForwardTo(bus_);
    repo_ = std::make_unique<SqlFavoriteRepository>(*db_, &recorder_->outbox());
    service_ = std::make_unique<FavoriteService>(*repo_, videos_, users_, *recorder_, clock_);
    bus_.Subscribe("recorder", [this](const events::Event& e) { published_.push_back(e); });
  }
  void TearDown() override {
    service_.reset();
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  bool Like(std::int64_t user, std::int64_t video) {
    auto changed = service_->Like(user, video);
    EXPECT_TRUE(changed.ok()) << changed.status().message;
    return changed.ok() && *changed;
  }
  bool Unlike(std::int64_t user, std::int64_t video) {
    auto changed = service_->Unlike(user, video);
    EXPECT_TRUE(changed.ok()) << changed.status().message;
    return changed.ok() && *changed;
  }
  VideoFavoriteStat VideoStat(std::int64_t video, std::int64_t viewer) {
    const std::int64_t ids[] = {video};
    return service_->VideoStats(ids, viewer).at(video);
  }
  UserFavoriteStat UserStat(std::int64_t user) {
    const std::int64_t ids[] = {user};
    return service_->UserStats(ids).at(user);
  }

  // What the service published, in order.
  std::vector<std::tuple<events::EventKind, std::int64_t, std::int64_t>> Published() {
    std::vector<std::tuple<events::EventKind, std::int64_t, std::int64_t>> out;
    for (const events::Event& e : published_) {
      out.emplace_back(e.kind, e.subject_id, e.actor_id);
    }
    return out;
  }
  std::vector<std::int64_t> TopIds(int limit) {
    std::vector<std::int64_t> ids;
    for (const VideoLikeCount& top : service_->TopVideos(limit)) ids.push_back(top.video_id);
    return ids;
  }

  ManualClock clock_;
  events::InProcessEventBus bus_;
  std::unique_ptr<events::testing::OutboxRecorder> recorder_;  // the store's outbox
  std::vector<events::Event> published_;
  FakeVideoDirectory videos_;
  FakeUserDirectory users_;
  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlFavoriteRepository> repo_;
  std::unique_ptr<FavoriteService> service_;
};

TEST_F(FavoriteServiceTest, LikeAndUnlikeAreIdempotentAndCountExactly) {
  const std::int64_t author = 100 + 10 % 3;
  EXPECT_TRUE(Like(1, 10));
  EXPECT_FALSE(Like(1, 10));  // a retry moves nothing
  EXPECT_EQ(VideoStat(10, 1).favorite_count, 1);
  EXPECT_TRUE(VideoStat(10, 1).liked_by_viewer);
  EXPECT_FALSE(VideoStat(10, 2).liked_by_viewer);
  EXPECT_FALSE(VideoStat(10, 0).liked_by_viewer);
  EXPECT_EQ(UserStat(1).favorite_count, 1);
  EXPECT_EQ(UserStat(1).total_favorited, 0);
  EXPECT_EQ(UserStat(author).total_favorited, 1);
  EXPECT_EQ(UserStat(author).favorite_count, 0);

  EXPECT_TRUE(Like(2, 10));
  EXPECT_EQ(VideoStat(10, 0).favorite_count, 2);
  EXPECT_EQ(UserStat(author).total_favorited, 2);

  EXPECT_TRUE(Unlike(1, 10));
  EXPECT_FALSE(Unlike(1, 10));
  EXPECT_FALSE(Unlike(1, 11));  // never liked
  EXPECT_EQ(VideoStat(10, 1).favorite_count, 1);
  EXPECT_FALSE(VideoStat(10, 1).liked_by_viewer);
  EXPECT_EQ(UserStat(1).favorite_count, 0);
  EXPECT_EQ(UserStat(author).total_favorited, 1);

  EXPECT_TRUE(Unlike(2, 10));
  EXPECT_EQ(VideoStat(10, 0).favorite_count, 0);
  EXPECT_EQ(UserStat(author).total_favorited, 0);
  EXPECT_TRUE(Like(1, 10));  // liking again after an unlike counts again
  EXPECT_EQ(VideoStat(10, 0).favorite_count, 1);
}

// "Cannot ask the video service" is not "no such video": the caller learns which, and
// nothing is stored.
TEST_F(FavoriteServiceTest, AnUnreachableVideoServiceIsAnErrorNotAMissingVideo) {
  ASSERT_TRUE(Like(1, 10));
  videos_.down = true;
  EXPECT_EQ(service_->Like(2, 10).status().reason, "DEPENDENCY_UNAVAILABLE");
  EXPECT_EQ(service_->Unlike(3, 10).status().reason, "DEPENDENCY_UNAVAILABLE");
  EXPECT_TRUE(*service_->Unlike(1, 10));  // an existing like is removable without asking
  videos_.down = false;
  EXPECT_EQ(VideoStat(10, 2).favorite_count, 0);
  EXPECT_FALSE(VideoStat(10, 2).liked_by_viewer);
}

TEST_F(FavoriteServiceTest, RefusalsChangeNothing) {
  auto missing = service_->Like(1, 99);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code, Code::kNotFound);
  EXPECT_EQ(missing.status().reason, "VIDEO_NOT_FOUND");
  EXPECT_EQ(missing.status().message, "video 99 does not exist");
  EXPECT_EQ(service_->Like(0, 10).status().reason, "USER_ID_INVALID");
  EXPECT_EQ(service_->Unlike(-1, 10).status().reason, "USER_ID_INVALID");
  // Nothing to undo on a video that does not exist: refused, not "not liked".
  EXPECT_EQ(service_->Unlike(1, 99).status().reason, "VIDEO_NOT_FOUND");

  EXPECT_TRUE(service_->ListLiked(1, 0, 0).video_ids.empty());
  EXPECT_TRUE(service_->ListLiked(0, 0, 0).video_ids.empty());
  EXPECT_EQ(VideoStat(99, 1).favorite_count, 0);
  EXPECT_EQ(VideoStat(10, 0).favorite_count, 0);
  EXPECT_EQ(UserStat(1).favorite_count, 0);
}

TEST_F(FavoriteServiceTest, ListingOfANamedOwnerRefusesOneThatDoesNotExist) {
  ASSERT_TRUE(Like(1, 10));
  auto page = service_->ListLikedOfKnownUser(1, 0, 0);
  ASSERT_TRUE(page.ok()) << page.status().message;
  EXPECT_EQ(page->video_ids, (std::vector<std::int64_t>{10}));
  // A user without likes is an empty page; a user that does not exist is an error.
  ASSERT_TRUE(service_->ListLikedOfKnownUser(2, 0, 0).ok());
  EXPECT_TRUE(service_->ListLikedOfKnownUser(2, 0, 0)->video_ids.empty());
  const auto unknown = service_->ListLikedOfKnownUser(999, 0, 0);
  EXPECT_EQ(unknown.status().code, Code::kNotFound);
  EXPECT_EQ(unknown.status().reason, "USER_NOT_FOUND");
  EXPECT_EQ(unknown.status().message, "user 999 does not exist");
  // "Cannot ask" is not "does not exist".
  users_.down = true;
  EXPECT_EQ(service_->ListLikedOfKnownUser(1, 0, 0).status().code, Code::kUnavailable);
  // The Douyin listing does not ask.
  EXPECT_EQ(service_->ListLiked(1, 0, 0).video_ids, (std::vector<std::int64_t>{10}));
}

TEST_F(FavoriteServiceTest, LikingYourOwnVideoCountsBothWays) {
  const std::int64_t author = 100 + 7 % 3;
  EXPECT_TRUE(Like(author, 7));
  EXPECT_EQ(UserStat(author).favorite_count, 1);
  EXPECT_EQ(UserStat(author).total_favorited, 1);
  EXPECT_TRUE(VideoStat(7, author).liked_by_viewer);
  EXPECT_TRUE(Unlike(author, 7));
  EXPECT_EQ(UserStat(author).favorite_count, 0);
  EXPECT_EQ(UserStat(author).total_favorited, 0);
}

TEST_F(FavoriteServiceTest, ListIsNewestLikeFirstAndPagesWithoutRepeats) {
  for (std::int64_t v = 1; v <= 25; ++v) ASSERT_TRUE(Like(1, v));
  ASSERT_TRUE(Like(2, 3));  // another user's likes stay out of user 1's list

  std::vector<std::int64_t> seen;
  std::int64_t cursor = 0;
  std::vector<std::size_t> sizes;
  for (int page = 0; page < 3; ++page) {
    LikedPage p = service_->ListLiked(1, cursor, 10);
    sizes.push_back(p.video_ids.size());
    seen.insert(seen.end(), p.video_ids.begin(), p.video_ids.end());
    cursor = p.next_cursor;
    if (page < 2) {
      EXPECT_NE(cursor, 0);
    }
  }
  EXPECT_EQ(cursor, 0);  // the last page says there is no more
  EXPECT_EQ(sizes, (std::vector<std::size_t>{10, 10, 5}));
  std::vector<std::int64_t> expected;
  for (std::int64_t v = 25; v >= 1; --v) expected.push_back(v);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 25u);

  // Default page size 30 holds all 25; a page ending exactly at the end has no next.
  EXPECT_EQ(service_->ListLiked(1, 0, 0).video_ids.size(), 25u);
  EXPECT_EQ(service_->ListLiked(1, 0, 0).next_cursor, 0);
  EXPECT_EQ(service_->ListLiked(1, 0, 25).next_cursor, 0);
  EXPECT_EQ(service_->ListLiked(1, 0, -5).video_ids.size(), 1u);
  EXPECT_EQ(service_->ListLiked(1, 0, 1000).video_ids.size(), 25u);

  // Liking again after an unlike is a new like: it comes first.
  ASSERT_TRUE(Unlike(1, 4));
  ASSERT_TRUE(Like(1, 4));
  EXPECT_EQ(service_->ListLiked(1, 0, 1).video_ids, (std::vector<std::int64_t>{4}));
}

TEST_F(FavoriteServiceTest, StatsAnswerEveryIdAndUnknownOnesAreZero) {
  ASSERT_TRUE(Like(1, 10));
  const std::int64_t videos[] = {10, 404, 405, 10};
  auto stats = service_->VideoStats(videos, 1);
  EXPECT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats.at(10).favorite_count, 1);
  EXPECT_TRUE(stats.at(10).liked_by_viewer);
  EXPECT_EQ(stats.at(404).favorite_count, 0);
  EXPECT_FALSE(stats.at(404).liked_by_viewer);
  EXPECT_EQ(stats.at(405).favorite_count, 0);

  const std::int64_t users[] = {1, 777};
  auto user_stats = service_->UserStats(users);
  EXPECT_EQ(user_stats.size(), 2u);
  EXPECT_EQ(user_stats.at(1).favorite_count, 1);
  EXPECT_EQ(user_stats.at(777).favorite_count, 0);
  EXPECT_EQ(user_stats.at(777).total_favorited, 0);
  EXPECT_TRUE(service_->VideoStats({}, 1).empty());
  EXPECT_TRUE(service_->UserStats({}).empty());

  // Viewer only: whether the viewer likes each, the counts left at 0.
  auto marks = service_->VideoStats(videos, 1, /*viewer_only=*/true);
  EXPECT_EQ(marks.size(), 3u);
  EXPECT_TRUE(marks.at(10).liked_by_viewer);
  EXPECT_EQ(marks.at(10).favorite_count, 0);
  EXPECT_FALSE(marks.at(404).liked_by_viewer);
}

TEST_F(FavoriteServiceTest, StatsOfManyIdsSpanChunks) {
  std::vector<std::int64_t> ids;
  for (std::int64_t v = 1; v <= 50; ++v) {
    ASSERT_TRUE(Like(v % 2 + 1, v));
    ids.push_back(v);
  }
  for (std::int64_t v = 1000; v < 1100; ++v) ids.push_back(v);  // 150 ids: three chunks
  auto stats = service_->VideoStats(ids, 1);
  ASSERT_EQ(stats.size(), 150u);
  for (std::int64_t v = 1; v <= 50; ++v) {
    EXPECT_EQ(stats.at(v).favorite_count, 1);
    EXPECT_EQ(stats.at(v).liked_by_viewer, v % 2 == 0) << v;
  }
  EXPECT_EQ(stats.at(1099).favorite_count, 0);
}

TEST_F(FavoriteServiceTest, EventsArePublishedOnlyWhenALikeReallyChanged) {
  using events::EventKind::kVideoLiked;
  using events::EventKind::kVideoUnliked;
  using Seen = std::vector<std::tuple<events::EventKind, std::int64_t, std::int64_t>>;
  clock_.Advance(std::chrono::milliseconds(1234));
  ASSERT_TRUE(Like(1, 10));
  ASSERT_EQ(published_.size(), 1u);
  EXPECT_EQ(published_[0].at_ms,
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
                .count());
  EXPECT_FALSE(Like(1, 10));    // already liked
  EXPECT_FALSE(Unlike(2, 10));  // never liked
  EXPECT_EQ(service_->Like(1, 99).status().reason, "VIDEO_NOT_FOUND");
  EXPECT_EQ(service_->Unlike(1, 99).status().reason, "VIDEO_NOT_FOUND");
  EXPECT_EQ(service_->Like(0, 10).status().reason, "USER_ID_INVALID");
  EXPECT_TRUE(Unlike(1, 10));
  EXPECT_FALSE(Unlike(1, 10));
  EXPECT_EQ(Published(), (Seen{{kVideoLiked, 10, 1}, {kVideoUnliked, 10, 1}}));
}

TEST_F(FavoriteServiceTest, TopVideosRankByLikesThenNewerVideo) {
  for (std::int64_t user : {1, 2, 3}) ASSERT_TRUE(Like(user, 10));
  for (std::int64_t user : {1, 2, 3}) ASSERT_TRUE(Like(user, 30));
  for (std::int64_t user : {4, 5}) ASSERT_TRUE(Like(user, 5));
  ASSERT_TRUE(Like(1, 20));
  ASSERT_TRUE(Like(1, 40));
  ASSERT_TRUE(Unlike(1, 40));  // a count back at 0 is not ranked

  const auto top = service_->TopVideos(10);
  ASSERT_EQ(top.size(), 4u);
  EXPECT_EQ(top[0].video_id, 30);  // 3 likes, the newer of the two
  EXPECT_EQ(top[0].count, 3);
  EXPECT_EQ(top[1].video_id, 10);
  EXPECT_EQ(top[1].count, 3);
  EXPECT_EQ(top[2].video_id, 5);
  EXPECT_EQ(top[2].count, 2);
  EXPECT_EQ(top[3].video_id, 20);
  EXPECT_EQ(top[3].count, 1);

  EXPECT_EQ(TopIds(2), (std::vector<std::int64_t>{30, 10}));
  EXPECT_EQ(TopIds(0), (std::vector<std::int64_t>{30}));  // clamped to 1
  EXPECT_EQ(TopIds(-7), (std::vector<std::int64_t>{30}));
  EXPECT_EQ(TopIds(1'000'000).size(), 4u);  // clamped to 1000

  ASSERT_TRUE(Like(2, 20));
  ASSERT_TRUE(Like(3, 20));
  ASSERT_TRUE(Like(4, 20));  // 4 likes: first now
  EXPECT_EQ(TopIds(10), (std::vector<std::int64_t>{20, 30, 10, 5}));
}

TEST_F(FavoriteServiceTest, TopVideosOfAFreshStoreIsEmpty) {
  EXPECT_TRUE(service_->TopVideos(100).empty());
}

TEST_F(FavoriteServiceTest, AnothersHiddenVideoCannotBeLikedButItsAuthorsCan) {
  auto refused = service_->Like(1, 60);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason, "VIDEO_NOT_FOUND");
  EXPECT_EQ(service_->Unlike(1, 60).status().reason, "VIDEO_NOT_FOUND");
  EXPECT_EQ(VideoStat(60, 1).favorite_count, 0);
  EXPECT_TRUE(Like(100, 60));
  EXPECT_EQ(VideoStat(60, 100).favorite_count, 1);
}

}  // namespace
}  // namespace reel::favorite
