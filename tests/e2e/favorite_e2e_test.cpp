// Douyin favorites end to end: POST /douyin/favorite/action/ and GET /douyin/favorite/list/,
// and the like counters every other route shows afterwards.
#include <cstdint>
#include <string>
#include <vector>

#include "harness.hpp"
#include "interactions_fixture.hpp"

namespace reel::e2e {
namespace {

constexpr std::int64_t kMissingVideo = 987654;

using Ids = std::vector<std::int64_t>;

class FavoriteTest : public InteractionTest {
 protected:
  void SetUp() override {
    InteractionTest::SetUp();
    if (HasFatalFailure()) return;
    ann_ = NewUser("ann");
    ben_ = NewUser("ben");
    ASSERT_GT(ben_.user_id, 0);
    video_ = PublishVideo(ann_, "ann's clip");
    ASSERT_GT(video_, 0);
  }

  // A like or unlike that did something answers 0 without a no-op message.
  static void ExpectChanged(const Reply& reply) {
    EXPECT_TRUE(IsOk(reply));
    EXPECT_NE(reply.Message(), "already liked") << reply.Describe();
    EXPECT_NE(reply.Message(), "not liked") << reply.Describe();
  }

  // The video in `author`'s publish list as `viewer` sees it.
  VideoCounts InPublishList(const DouyinSession& author, std::int64_t video,
                            const DouyinSession& viewer) {
    const rapidjson::Document videos = Videos(author.user_id, viewer);
    for (const rapidjson::Value& item : videos.GetArray()) {
      if (JsonInt(item, "id") == video) return ReadVideoCounts(item);
    }
    ADD_FAILURE() << "video " << video << " not in the publish list";
    return {};
  }

  DouyinSession ann_;
  DouyinSession ben_;
  std::int64_t video_ = 0;
};

TEST_F(FavoriteTest, LikeIsVisibleEverywhereAndUnlikeUndoesIt) {
  ExpectChanged(Like(Client(), ben_, video_));

  // The video: counted for everyone, is_favorite only for the liker.
  EXPECT_EQ(VideoCountsOf(video_), (VideoCounts{1, 0, false}));
  EXPECT_EQ(VideoCountsOf(video_, ben_.token), (VideoCounts{1, 0, true}));
  EXPECT_EQ(VideoCountsOf(video_, ann_.token), (VideoCounts{1, 0, false}));
  EXPECT_EQ(InPublishList(ann_, video_, ben_), (VideoCounts{1, 0, true}));
  EXPECT_EQ(InPublishList(ann_, video_, ann_), (VideoCounts{1, 0, false}));

  // The users: ben liked one video, ann received one like.
  const UserCounts ben = UserCountsOf(ben_.user_id);
  EXPECT_EQ(ben.favorite_count, 1) << ben;
  EXPECT_EQ(ben.total_favorited, 0) << ben;
  const UserCounts ann = UserCountsOf(ann_.user_id);
  EXPECT_EQ(ann.favorite_count, 0) << ann;
  EXPECT_EQ(ann.total_favorited, 1) << ann;
  EXPECT_EQ(ann.work_count, 1) << ann;

  // The author object inside the feed carries the same totals.
  const Reply feed = FeedPage(Client(), ben_.token);
  const rapidjson::Value* in_feed = FindById(feed, "video_list", video_);
  ASSERT_NE(in_feed, nullptr) << feed.Describe();
  EXPECT_EQ(JsonInt(*in_feed, "author.total_favorited"), 1);

  // ben's favorite list holds the full video object.
  const Reply list = FavoriteList(Client(), ben_.user_id, ben_.token);
  ASSERT_EQ(IdsIn(list, "video_list"), Ids{video_});
  const rapidjson::Value& liked = (*ListIn(list, "video_list"))[0];
  ExpectUserObject(JsonAt(liked, "author"), ann_.user_id);
  EXPECT_EQ(JsonString(liked, "title"), "ann's clip");
  EXPECT_TRUE(JsonString(liked, "play_url").value_or("").starts_with(MediaUrlPrefix()));
  EXPECT_EQ(ReadVideoCounts(liked), (VideoCounts{1, 0, true}));
  EXPECT_EQ(JsonInt(liked, "author.total_favorited"), 1);
  EXPECT_EQ(NextCursor(list), 0);

  ExpectChanged(Unlike(Client(), ben_, video_));
  EXPECT_EQ(VideoCountsOf(video_, ben_.token), (VideoCounts{0, 0, false}));
  EXPECT_EQ(InPublishList(ann_, video_, ben_), (VideoCounts{0, 0, false}));
  EXPECT_EQ(UserCountsOf(ben_.user_id).favorite_count, 0);
  EXPECT_EQ(UserCountsOf(ann_.user_id).total_favorited, 0);
  EXPECT_TRUE(IdsIn(FavoriteList(Client(), ben_.user_id, ben_.token), "video_list").empty());
}

TEST_F(FavoriteTest, LikingTwiceAndUnlikingWhatIsNotLikedChangeNothing) {
  const std::string fresh = Snapshot({ann_.user_id, ben_.user_id}, {video_});
  EXPECT_TRUE(IsNoop(Unlike(Client(), ben_, video_), "not liked"));
  EXPECT_EQ(Snapshot({ann_.user_id, ben_.user_id}, {video_}), fresh);

  ExpectChanged(Like(Client(), ben_, video_));
  const std::string liked = Snapshot({ann_.user_id, ben_.user_id}, {video_});
  EXPECT_NE(liked, fresh);
  EXPECT_TRUE(IsNoop(Like(Client(), ben_, video_), "already liked"));
  EXPECT_EQ(Snapshot({ann_.user_id, ben_.user_id}, {video_}), liked);
  EXPECT_EQ(VideoCountsOf(video_, ben_.token), (VideoCounts{1, 0, true}));

  ExpectChanged(Unlike(Client(), ben_, video_));
  EXPECT_TRUE(IsNoop(Unlike(Client(), ben_, video_), "not liked"));
  EXPECT_EQ(Snapshot({ann_.user_id, ben_.user_id}, {video_}), fresh);
}

TEST_F(FavoriteTest, RefusalsChangeNothing) {
  ASSERT_TRUE(IsOk(Like(Client(), ben_, video_)));
  const std::string before = Snapshot({ann_.user_id, ben_.user_id}, {video_});
  const std::string id = std::to_string(video_);

  EXPECT_TRUE(IsRefused(Like(Client(), ann_, kMissingVideo), 404));
  EXPECT_TRUE(IsRefused(Unlike(Client(), ben_, kMissingVideo), 404));
  for (const char* action : {"3", "0"}) {
    SCOPED_TRACE(action);
    EXPECT_TRUE(
        IsRefused(FavoriteAction(
                      Client(), {{"token", ann_.token}, {"video_id", id}, {"action_type", action}}),
                  400));
  }
  EXPECT_TRUE(IsRefused(FavoriteAction(Client(), {{"video_id", id}, {"action_type", "1"}}), 401));
  EXPECT_TRUE(IsRefused(FavoriteAction(Client(), {{"video_id", id}, {"action_type", "2"}}), 401));
  EXPECT_TRUE(IsRefused(
      FavoriteAction(Client(), {{"token", "garbage"}, {"video_id", id}, {"action_type", "1"}}),
      401));

  EXPECT_EQ(Snapshot({ann_.user_id, ben_.user_id}, {video_}), before);
  EXPECT_EQ(VideoCountsOf(video_, ben_.token), (VideoCounts{1, 0, true}));
}

TEST_F(FavoriteTest, ParametersAreAlsoReadFromTheQuery) {
  const std::string path = WithQuery(
      "/douyin/favorite/action/",
      {{"token", ben_.token}, {"video_id", std::to_string(video_)}, {"action_type", "1"}});
  const HttpResponse response = Client().PostForm(path, {});
  EXPECT_EQ(response.status, 200) << response.Describe();
  EXPECT_EQ(DouyinStatusCode(response), 0) << response.Describe();
  EXPECT_EQ(VideoCountsOf(video_, ben_.token), (VideoCounts{1, 0, true}));
}

TEST_F(FavoriteTest, LikesFromSeveralUsersAddUp) {
  const DouyinSession carl = NewUser("carl");
  const std::int64_t second = PublishVideo(ann_, "ann's second clip");
  ASSERT_GT(second, 0);

  ASSERT_TRUE(IsOk(Like(Client(), ben_, video_)));
  ASSERT_TRUE(IsOk(Like(Client(), ben_, second)));
  ASSERT_TRUE(IsOk(Like(Client(), carl, video_)));
  ASSERT_TRUE(IsOk(Like(Client(), ann_, second)));  // an author may like their own video

  EXPECT_EQ(VideoCountsOf(video_, carl.token), (VideoCounts{2, 0, true}));
  EXPECT_EQ(VideoCountsOf(second, carl.token), (VideoCounts{2, 0, false}));
  EXPECT_EQ(VideoCountsOf(second, ann_.token), (VideoCounts{2, 0, true}));
  const UserCounts ann = UserCountsOf(ann_.user_id);
  EXPECT_EQ(ann.total_favorited, 4) << ann;
  EXPECT_EQ(ann.favorite_count, 1) << ann;
  EXPECT_EQ(UserCountsOf(ben_.user_id).favorite_count, 2);
  EXPECT_EQ(UserCountsOf(carl.user_id).favorite_count, 1);

  ASSERT_TRUE(IsOk(Unlike(Client(), ben_, video_)));
  EXPECT_EQ(VideoCountsOf(video_).favorite_count, 1);
  EXPECT_EQ(UserCountsOf(ann_.user_id).total_favorited, 3);
  EXPECT_EQ(UserCountsOf(ben_.user_id).favorite_count, 1);
}

TEST_F(FavoriteTest, ListIsNewestLikeFirstAndPages) {
  const std::int64_t second = PublishVideo(ann_, "second");
  const std::int64_t third = PublishVideo(ann_, "third");
  ASSERT_GT(third, 0);
  for (const std::int64_t video : {video_, second, third}) {
    ASSERT_TRUE(IsOk(Like(Client(), ben_, video)));
  }
  EXPECT_EQ(IdsIn(FavoriteList(Client(), ben_.user_id, ben_.token), "video_list"),
            (Ids{third, second, video_}));

  // Liking again after an unlike makes it the newest like.
  ASSERT_TRUE(IsOk(Unlike(Client(), ben_, video_)));
  ASSERT_TRUE(IsOk(Like(Client(), ben_, video_)));
  const Ids order = {video_, third, second};
  EXPECT_EQ(IdsIn(FavoriteList(Client(), ben_.user_id, ben_.token), "video_list"), order);

  // Without user_id the list is the token's user's.
  EXPECT_EQ(IdsIn(FavoriteList(Client(), std::nullopt, ben_.token), "video_list"), order);

  const Reply first_page = FavoriteList(Client(), ben_.user_id, ben_.token, {.limit = 2});
  EXPECT_EQ(IdsIn(first_page, "video_list"), (Ids{video_, third}));
  ASSERT_TRUE(NextCursor(first_page).has_value()) << first_page.Describe();
  EXPECT_NE(NextCursor(first_page), 0);
  const Reply last_page = FavoriteList(Client(), ben_.user_id, ben_.token,
                                       {.cursor = NextCursor(first_page), .limit = 2});
  EXPECT_EQ(IdsIn(last_page, "video_list"), (Ids{second}));
  EXPECT_EQ(NextCursor(last_page), 0);
  EXPECT_EQ(AllIds([&](const Page& page) { return FavoriteList(Client(), ben_.user_id, {}, page); },
                   "video_list", 1),
            order);
}

TEST_F(FavoriteTest, IsFavoriteInAListIsForTheViewer) {
  const DouyinSession carl = NewUser("carl");
  const std::int64_t second = PublishVideo(ann_, "second");
  ASSERT_GT(second, 0);
  ASSERT_TRUE(IsOk(Like(Client(), ben_, video_)));
  ASSERT_TRUE(IsOk(Like(Client(), ben_, second)));
  ASSERT_TRUE(IsOk(Like(Client(), carl, second)));

  const auto is_favorite = [&](std::string_view token, std::int64_t video) {
    const Reply list = FavoriteList(Client(), ben_.user_id, token);
    const rapidjson::Value* item = FindById(list, "video_list", video);
    return item == nullptr ? std::nullopt : JsonBool(*item, "is_favorite");
  };
  EXPECT_EQ(is_favorite(carl.token, second), true);
  EXPECT_EQ(is_favorite(carl.token, video_), false);
  EXPECT_EQ(is_favorite("", second), false);
  EXPECT_EQ(is_favorite("", video_), false);
  EXPECT_EQ(is_favorite(ben_.token, video_), true);
}

}  // namespace
}  // namespace reel::e2e
