// /api favorites end to end: POST /api/favorite/action and GET /api/favorite/videos, the
// counters other routes show afterwards, and every refusal.
#include <cstdint>
#include <string>
#include <vector>

#include "interactions_api_fixture.hpp"

namespace reel::e2e {
namespace {

using Ids = std::vector<std::int64_t>;

constexpr std::string_view kAction = "/api/favorite/action";
constexpr std::string_view kVideos = "/api/favorite/videos";

class FavoriteApiTest : public ApiInteractionTest {
 protected:
  void SetUp() override {
    ApiInteractionTest::SetUp();
    if (HasFatalFailure()) return;
    ann_ = NewApiUser("ann");
    ben_ = NewApiUser("ben");
    ASSERT_GT(ben_.user_id, 0);
    video_ = PublishVideo(AsDouyin(ann_), "ann's clip");
    ASSERT_GT(video_, 0);
  }

  ApiReply Act(const ApiSession& who, std::int64_t video, std::string_view action) {
    return PostApi(kAction, VideoActionJson(video, action), who.access_token);
  }
  // The answer's three fields, for one EXPECT_EQ.
  struct Answer {
    std::optional<bool> changed;
    std::optional<bool> is_favorite;
    std::optional<std::int64_t> favorite_count;
    bool operator==(const Answer&) const = default;
  };
  static Answer Read(const ApiReply& reply) {
    EXPECT_TRUE(IsApiOk(reply));
    return {JsonBool(reply.json, "changed"), JsonBool(reply.json, "is_favorite"),
            JsonInt(reply.json, "favorite_count")};
  }
  ApiReply Liked(const Pairs& query, std::string_view token) {
    return GetApi(kVideos, query, token);
  }

  ApiSession ann_;
  ApiSession ben_;
  std::int64_t video_ = 0;
};

TEST_F(FavoriteApiTest, LikeAndUnlikeAnswerTheCountsAfterTheActionAndCountOnce) {
  EXPECT_EQ(Read(Act(ben_, video_, "like")), (Answer{true, true, 1}));
  EXPECT_EQ(Read(Act(ben_, video_, "like")), (Answer{false, true, 1}));  // idempotent
  const ApiSession carl = NewApiUser("carl");
  EXPECT_EQ(Read(Act(carl, video_, "like")), (Answer{true, true, 2}));

  EXPECT_EQ(JsonInt(ApiUser(ben_.user_id), "favorite_count"), 1);
  EXPECT_EQ(JsonInt(ApiUser(ann_.user_id), "total_favorited"), 2);
  EXPECT_EQ(VideoCountsOf(video_, ben_.access_token), (VideoCounts{2, 0, true}));
  EXPECT_EQ(VideoCountsOf(video_, ann_.access_token), (VideoCounts{2, 0, false}));

  EXPECT_EQ(Read(Act(ben_, video_, "unlike")), (Answer{true, false, 1}));
  EXPECT_EQ(Read(Act(ben_, video_, "unlike")), (Answer{false, false, 1}));
  EXPECT_EQ(JsonInt(ApiUser(ben_.user_id), "favorite_count"), 0);
  EXPECT_EQ(JsonInt(ApiUser(ann_.user_id), "total_favorited"), 1);
  EXPECT_EQ(VideoCountsOf(video_, ben_.access_token), (VideoCounts{1, 0, false}));
}

TEST_F(FavoriteApiTest, RefusalsNameTheProblemAndChangeNothing) {
  ASSERT_EQ(Read(Act(ben_, video_, "like")), (Answer{true, true, 1}));
  const std::string before = Snapshot({ann_.user_id, ben_.user_id}, {video_});

  EXPECT_TRUE(IsApiError(Act(ben_, video_, "love"), 400, "PARAM_INVALID"));
  EXPECT_NE(Act(ben_, video_, "LIKE").response.body.find("\\\"like\\\""), std::string::npos)
      << "the refusal names the allowed values";
  EXPECT_TRUE(
      IsApiError(PostApi(kAction, R"({"video_id":1})", ben_.access_token), 400, "PARAM_MISSING"));
  EXPECT_TRUE(IsApiError(PostApi(kAction, R"({"action":"like"})", ben_.access_token), 400,
                         "PARAM_MISSING"));
  for (const char* bad : {R"("abc")", "0", "-3", "9007199254740992", "1.5"}) {
    SCOPED_TRACE(bad);
    const std::string json = std::string(R"({"action":"like","video_id":)") + bad + "}";
    EXPECT_TRUE(IsApiError(PostApi(kAction, json, ben_.access_token), 400, "PARAM_INVALID"));
  }
  EXPECT_EQ(PostApi(kAction, "{\"video_id\": ", ben_.access_token).response.status, 400);
  EXPECT_TRUE(IsApiError(Act(ann_, 987654, "like"), 404, "VIDEO_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(Act(ann_, 987654, "unlike"), 404, "VIDEO_NOT_FOUND"));
  ExpectTokenRefusals("POST", kAction, VideoActionJson(video_, "unlike"), ben_);
  ExpectTokenRefusals("POST", kAction, VideoActionJson(video_, "like"), ann_);

  EXPECT_EQ(Snapshot({ann_.user_id, ben_.user_id}, {video_}), before);
}

TEST_F(FavoriteApiTest, LikedVideosPageToTheEndNewestLikeFirst) {
  Ids liked_order = {video_};
  ASSERT_TRUE(IsApiOk(Act(ben_, video_, "like")));
  for (int i = 0; i < 4; ++i) {
    const std::int64_t id = PublishVideo(AsDouyin(ann_), "clip " + std::to_string(i));
    ASSERT_GT(id, 0);
    liked_order.push_back(id);
  }
  // Liked in an order unlike publishing, so the list shows like order, not video order.
  for (std::size_t i = liked_order.size() - 1; i >= 1; --i) {
    ASSERT_TRUE(IsApiOk(Act(ben_, liked_order[i], "like")));
  }
  const Ids expected = {liked_order[1], liked_order[2], liked_order[3], liked_order[4], video_};

  for (const int limit : {1, 2, 3, 5, 100}) {
    SCOPED_TRACE(limit);
    const Ids all = WalkApiList(
        [&](const std::string& cursor) {
          Pairs query = {{"user_id", std::to_string(ben_.user_id)},
                         {"limit", std::to_string(limit)}};
          if (!cursor.empty()) query.emplace_back("cursor", cursor);
          return Liked(query, {});
        },
        "videos");
    EXPECT_EQ(all, expected);
  }

  // The caller's own list by default; full video objects, is_favorite for the viewer.
  const ApiReply own = Liked({{"limit", "2"}}, ben_.access_token);
  ASSERT_TRUE(IsApiOk(own));
  EXPECT_EQ(ReplyIds(own, "videos"), (Ids{expected[0], expected[1]}));
  EXPECT_EQ(JsonBool(own.json, "has_more"), true);
  const rapidjson::Value* first = JsonAt(own.json, "videos.0");
  ASSERT_NE(first, nullptr);
  ExpectUserObject(JsonAt(*first, "author"), ann_.user_id);
  EXPECT_EQ(JsonBool(*first, "is_favorite"), true);
  EXPECT_EQ(JsonInt(*first, "favorite_count"), 1);
  EXPECT_TRUE(JsonString(*first, "play_url").value_or("").starts_with(MediaUrlPrefix()));
  const ApiReply as_ann = Liked({{"user_id", std::to_string(ben_.user_id)}}, ann_.access_token);
  EXPECT_EQ(JsonBool(as_ann.json, "videos.0.is_favorite"), false);
  EXPECT_EQ(JsonString(as_ann.json, "next_cursor"), "");
  EXPECT_EQ(JsonBool(as_ann.json, "has_more"), false);

  // Someone who likes nothing has an empty, finished list.
  const ApiReply none = Liked({}, ann_.access_token);
  EXPECT_TRUE(ReplyIds(none, "videos").empty());
  EXPECT_EQ(JsonBool(none.json, "has_more"), false);
}

TEST_F(FavoriteApiTest, LikedVideosRefusals) {
  EXPECT_TRUE(IsApiError(Liked({}, {}), 401, "TOKEN_MISSING"));
  EXPECT_TRUE(IsApiError(Liked({{"user_id", "987654"}}, {}), 404, "USER_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(Liked({{"user_id", "abc"}}, {}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(Liked({{"user_id", "0"}}, {}), 400, "PARAM_INVALID"));
  const std::string ben = std::to_string(ben_.user_id);
  for (const char* limit : {"0", "101", "-1", "x"}) {
    SCOPED_TRACE(limit);
    EXPECT_TRUE(IsApiError(Liked({{"user_id", ben}, {"limit", limit}}, {}), 400, "PARAM_INVALID"));
  }
  EXPECT_TRUE(IsApiError(Liked({{"user_id", ben}, {"cursor", "-4"}}, {}), 400, "PARAM_INVALID"));
  // A token that is sent must be valid, even with a user_id.
  EXPECT_TRUE(IsApiError(Liked({{"user_id", ben}}, "garbage"), 401, "TOKEN_INVALID"));
  EXPECT_TRUE(
      IsApiError(Liked({{"user_id", ben}}, ExpiredToken(ben_.user_id)), 401, "TOKEN_EXPIRED"));
  EXPECT_TRUE(IsApiError(Liked({{"user_id", ben}}, ben_.refresh_token), 401, "TOKEN_INVALID"));
  EXPECT_EQ(Send("POST", kVideos, "{}", Bearer(ben_.access_token)).response.status, 405);
}

}  // namespace
}  // namespace reel::e2e
