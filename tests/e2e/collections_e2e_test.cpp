// Collections (收藏), the collection privacy setting and shares end to end (issue 16):
// POST /api/favorite/collect, GET /api/favorite/collections, GET|POST /api/favorite/settings,
// POST /api/favorite/share, and the counters the video object shows afterwards on both APIs.
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "interactions_api_fixture.hpp"

namespace reel::e2e {
namespace {

using Ids = std::vector<std::int64_t>;

constexpr std::string_view kCollect = "/api/favorite/collect";
constexpr std::string_view kCollections = "/api/favorite/collections";
constexpr std::string_view kSettings = "/api/favorite/settings";
constexpr std::string_view kShare = "/api/favorite/share";

std::string ShareJson(std::int64_t video_id) {
  return R"({"video_id":)" + std::to_string(video_id) + "}";
}

class CollectionsTest : public ApiInteractionTest {
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
    return PostApi(kCollect, VideoActionJson(video, action), who.access_token);
  }
  struct Answer {
    std::optional<bool> changed;
    std::optional<bool> is_collected;
    std::optional<std::int64_t> collect_count;
    bool operator==(const Answer&) const = default;
  };
  static Answer Read(const ApiReply& reply) {
    EXPECT_TRUE(IsApiOk(reply)) << reply.Describe();
    return {JsonBool(reply.json, "changed"), JsonBool(reply.json, "is_collected"),
            JsonInt(reply.json, "collect_count")};
  }
  ApiReply Share(const ApiSession& who, std::int64_t video) {
    return PostApi(kShare, ShareJson(video), who.access_token);
  }
  ApiReply SetPublic(const ApiSession& who, std::string_view value) {
    return PostApi(kSettings, std::string(R"({"collections_public":)") + std::string(value) + "}",
                   who.access_token);
  }
  ApiReply List(std::int64_t owner, std::string_view token, const Pairs& extra = {}) {
    Pairs query = {{"user_id", std::to_string(owner)}};
    query.insert(query.end(), extra.begin(), extra.end());
    return GetApi(kCollections, query, token);
  }
  // The /api video object as `token`'s user sees it.
  ApiReply VideoObject(std::int64_t video, std::string_view token) {
    return GetApi("/api/video/" + std::to_string(video), {}, token);
  }
  // The video in the latest feed as `token`'s user sees it; null when absent.
  const rapidjson::Value* InFeed(const ApiReply& feed, std::int64_t video) {
    const rapidjson::Value* list = JsonAt(feed.json, "videos");
    if (list == nullptr || !list->IsArray()) return nullptr;
    for (const auto& item : list->GetArray()) {
      if (JsonInt(item, "id") == video) return &item;
    }
    return nullptr;
  }

  ApiSession ann_;
  ApiSession ben_;
  std::int64_t video_ = 0;
};

TEST_F(CollectionsTest, CollectIsIdempotentAndTheVideoObjectShowsItPerViewer) {
  EXPECT_EQ(Read(Act(ben_, video_, "collect")), (Answer{true, true, 1}));
  EXPECT_EQ(Read(Act(ben_, video_, "collect")), (Answer{false, true, 1}));  // counted once
  const ApiSession carl = NewApiUser("carl");
  EXPECT_EQ(Read(Act(carl, video_, "collect")), (Answer{true, true, 2}));

  // is_collected is the viewer's; collect_count is everyone's; likes are separate.
  const ApiReply as_ben = VideoObject(video_, ben_.access_token);
  ASSERT_TRUE(IsApiOk(as_ben));
  EXPECT_EQ(JsonInt(as_ben.json, "video.collect_count"), 2) << as_ben.Describe();
  EXPECT_EQ(JsonBool(as_ben.json, "video.is_collected"), true);
  EXPECT_EQ(JsonBool(as_ben.json, "video.is_favorite"), false);
  EXPECT_EQ(JsonInt(as_ben.json, "video.favorite_count"), 0);
  EXPECT_EQ(JsonInt(as_ben.json, "video.share_count"), 0);
  EXPECT_EQ(JsonBool(VideoObject(video_, ann_.access_token).json, "video.is_collected"), false);
  EXPECT_EQ(JsonBool(VideoObject(video_, "").json, "video.is_collected"), false);

  // The same in the feed, asked by each viewer in turn (renderings are shared).
  for (int round = 0; round < 2; ++round) {
    const ApiReply ben_feed = GetApi("/api/feed", {{"type", "latest"}}, ben_.access_token);
    const ApiReply ann_feed = GetApi("/api/feed", {{"type", "latest"}}, ann_.access_token);
    const rapidjson::Value* for_ben = InFeed(ben_feed, video_);
    const rapidjson::Value* for_ann = InFeed(ann_feed, video_);
    ASSERT_NE(for_ben, nullptr) << ben_feed.Describe();
    ASSERT_NE(for_ann, nullptr) << ann_feed.Describe();
    EXPECT_EQ(JsonBool(*for_ben, "is_collected"), true);
    EXPECT_EQ(JsonBool(*for_ann, "is_collected"), false);
    EXPECT_EQ(JsonInt(*for_ann, "collect_count"), 2);
  }
  // The Douyin feed keeps its fields (and carries the counters as extra ones).
  const Reply douyin = FeedPage(Client(), ben_.access_token);
  const rapidjson::Value* in_douyin = FindById(douyin, "video_list", video_);
  ASSERT_NE(in_douyin, nullptr);
  EXPECT_EQ(JsonBool(*in_douyin, "is_favorite"), false);
  EXPECT_EQ(JsonInt(*in_douyin, "favorite_count"), 0);
  EXPECT_TRUE(JsonString(*in_douyin, "title").has_value());

  EXPECT_EQ(Read(Act(ben_, video_, "uncollect")), (Answer{true, false, 1}));
  EXPECT_EQ(Read(Act(ben_, video_, "uncollect")), (Answer{false, false, 1}));
  EXPECT_EQ(JsonInt(VideoObject(video_, ben_.access_token).json, "video.collect_count"), 1);
}

TEST_F(CollectionsTest, RacingBookmarksCountExactly) {
  constexpr int kThreads = 8;
  std::vector<ApiSession> users;
  for (int i = 0; i < 4; ++i) users.push_back(NewApiUser("racer" + std::to_string(i)));
  std::atomic<int> changed{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      HttpClient client(Server().Port());
      // Every thread bookmarks as ben (one may win) and as each racer (one per racer).
      for (const ApiSession* who : {&ben_, &users[0], &users[1], &users[2], &users[3]}) {
        const HttpResponse r = client.PostJson(kCollect, VideoActionJson(video_, "collect"),
                                               Bearer(who->access_token));
        if (r.status != 200) {
          ++failed;
        } else if (r.body.find("\"changed\":true") != std::string::npos) {
          ++changed;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(changed.load(), 5);
  EXPECT_EQ(JsonInt(VideoObject(video_, "").json, "video.collect_count"), 5);
}

TEST_F(CollectionsTest, TheListPagesNewestFirstAndIsPrivateUntilMadePublic) {
  Ids published = {video_};
  for (int i = 0; i < 4; ++i)
    published.push_back(PublishVideo(AsDouyin(ann_), "c" + std::to_string(i)));
  // Bookmarked in an order unlike publishing: the list shows bookmark order.
  for (std::size_t i = published.size(); i-- > 0;) {
    ASSERT_TRUE(IsApiOk(Act(ben_, published[i], "collect")));
  }
  const Ids expected = {published[0], published[1], published[2], published[3], published[4]};
  for (const int limit : {1, 2, 5, 100}) {
    SCOPED_TRACE(limit);
    const Ids all = WalkApiList(
        [&](const std::string& cursor) {
          Pairs extra = {{"limit", std::to_string(limit)}};
          if (!cursor.empty()) extra.emplace_back("cursor", cursor);
          return List(ben_.user_id, ben_.access_token, extra);
        },
        "videos");
    EXPECT_EQ(all, expected);
  }
  // The caller's own by default, with is_collected for them.
  const ApiReply own = GetApi(kCollections, {{"limit", "1"}}, ben_.access_token);
  ASSERT_TRUE(IsApiOk(own));
  EXPECT_EQ(ReplyIds(own, "videos"), (Ids{expected[0]}));
  EXPECT_EQ(JsonBool(own.json, "videos.0.is_collected"), true);
  EXPECT_EQ(JsonBool(own.json, "has_more"), true);

  // Private by default: others and anonymous get 403; the setting reads false.
  EXPECT_TRUE(IsApiError(List(ben_.user_id, ann_.access_token), 403, "COLLECTIONS_PRIVATE"));
  EXPECT_TRUE(IsApiError(List(ben_.user_id, ""), 403, "COLLECTIONS_PRIVATE"));
  EXPECT_EQ(JsonBool(GetApi(kSettings, {}, ben_.access_token).json, "collections_public"), false);

  // Bad values are refused and change nothing.
  EXPECT_TRUE(IsApiError(SetPublic(ben_, R"("yes")"), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(PostApi(kSettings, "{}", ben_.access_token), 400, "PARAM_MISSING"));
  EXPECT_TRUE(IsApiError(List(ben_.user_id, ann_.access_token), 403, "COLLECTIONS_PRIVATE"));

  const ApiReply made_public = SetPublic(ben_, "true");
  ASSERT_TRUE(IsApiOk(made_public));
  EXPECT_EQ(JsonBool(made_public.json, "collections_public"), true);
  EXPECT_EQ(JsonBool(GetApi(kSettings, {}, ben_.access_token).json, "collections_public"), true);
  const ApiReply seen = List(ben_.user_id, ann_.access_token, {{"limit", "100"}});
  ASSERT_TRUE(IsApiOk(seen));
  EXPECT_EQ(ReplyIds(seen, "videos"), expected);
  EXPECT_EQ(JsonBool(seen.json, "videos.0.is_collected"), false);  // ann's own mark
  EXPECT_TRUE(IsApiOk(List(ben_.user_id, "")));
  // Ann's setting is her own: ben's change did not make hers public.
  EXPECT_TRUE(IsApiError(List(ann_.user_id, ben_.access_token), 403, "COLLECTIONS_PRIVATE"));

  ASSERT_TRUE(IsApiOk(SetPublic(ben_, "false")));
  EXPECT_TRUE(IsApiError(List(ben_.user_id, ann_.access_token), 403, "COLLECTIONS_PRIVATE"));

  EXPECT_TRUE(IsApiError(List(987654, ann_.access_token), 404, "USER_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(GetApi(kCollections, {}, ""), 401, "TOKEN_MISSING"));
  EXPECT_TRUE(
      IsApiError(GetApi(kCollections, {{"limit", "0"}}, ben_.access_token), 400, "PARAM_INVALID"));
}

TEST_F(CollectionsTest, ShareCountsOncePerUserAndDayAndAnswersTheLink) {
  const ApiReply first = Share(ben_, video_);
  ASSERT_TRUE(IsApiOk(first));
  EXPECT_EQ(JsonString(first.json, "share_url"), "/v/" + std::to_string(video_));
  EXPECT_EQ(JsonBool(first.json, "counted"), true);
  EXPECT_EQ(JsonInt(first.json, "share_count"), 1);
  for (int i = 0; i < 3; ++i) {  // pumping: the same user again the same day
    const ApiReply again = Share(ben_, video_);
    EXPECT_EQ(JsonBool(again.json, "counted"), false);
    EXPECT_EQ(JsonInt(again.json, "share_count"), 1);
  }
  const ApiReply by_ann = Share(ann_, video_);  // the author's own share counts too
  EXPECT_EQ(JsonBool(by_ann.json, "counted"), true);
  EXPECT_EQ(JsonInt(by_ann.json, "share_count"), 2);
  EXPECT_EQ(JsonInt(VideoObject(video_, "").json, "video.share_count"), 2);

  EXPECT_TRUE(IsApiError(Share(ben_, 987654), 404, "VIDEO_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(PostApi(kShare, "{}", ben_.access_token), 400, "PARAM_MISSING"));
  EXPECT_TRUE(
      IsApiError(PostApi(kShare, R"({"video_id":-1})", ben_.access_token), 400, "PARAM_INVALID"));
  ExpectTokenRefusals("POST", kShare, ShareJson(video_), ben_);
  EXPECT_EQ(JsonInt(VideoObject(video_, "").json, "video.share_count"), 2);
}

TEST_F(CollectionsTest, RefusalsNameTheProblemAndChangeNothing) {
  ASSERT_TRUE(IsApiOk(Act(ben_, video_, "collect")));
  EXPECT_TRUE(IsApiError(Act(ben_, video_, "keep"), 400, "PARAM_INVALID"));
  EXPECT_TRUE(
      IsApiError(PostApi(kCollect, R"({"video_id":1})", ben_.access_token), 400, "PARAM_MISSING"));
  EXPECT_TRUE(IsApiError(Act(ben_, 987654, "collect"), 404, "VIDEO_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(Act(ben_, 987654, "uncollect"), 404, "VIDEO_NOT_FOUND"));
  ExpectTokenRefusals("POST", kCollect, VideoActionJson(video_, "uncollect"), ben_);
  ExpectTokenRefusals("POST", kSettings, R"({"collections_public":true})", ben_);
  ExpectTokenRefusals("GET", kSettings, "", ben_);
  const ApiReply after = VideoObject(video_, ben_.access_token);
  EXPECT_EQ(JsonInt(after.json, "video.collect_count"), 1);
  EXPECT_EQ(JsonBool(after.json, "video.is_collected"), true);
  EXPECT_TRUE(IsApiError(List(ben_.user_id, ann_.access_token), 403, "COLLECTIONS_PRIVATE"));
}

TEST_F(CollectionsTest, DeletingAVideoRemovesItsBookmarksAndShares) {
  const std::int64_t other = PublishVideo(AsDouyin(ann_), "stays");
  ASSERT_TRUE(IsApiOk(Act(ben_, video_, "collect")));
  ASSERT_TRUE(IsApiOk(Act(ben_, other, "collect")));
  ASSERT_TRUE(IsApiOk(Share(ben_, video_)));
  ASSERT_TRUE(IsApiOk(DeleteApi("/api/video/" + std::to_string(video_), ann_.access_token)));
  // The job service's cascade: done when the delete answers in `reel all`, a moment later
  // in a cluster.
  ASSERT_TRUE(Server().WaitForEvents());

  const ApiReply list = List(ben_.user_id, ben_.access_token);
  ASSERT_TRUE(IsApiOk(list));
  EXPECT_EQ(ReplyIds(list, "videos"), (Ids{other}));
  EXPECT_EQ(JsonBool(list.json, "has_more"), false);
  EXPECT_TRUE(IsApiError(Act(ben_, video_, "uncollect"), 404, "VIDEO_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(Share(ben_, video_), 404, "VIDEO_NOT_FOUND"));
}

// A video made private (is_public on PATCH /api/video/{id}) leaves others' reach.
TEST_F(CollectionsTest, AnothersPrivateVideoCannotBeBookmarkedSharedOrLikedAndLeavesLists) {
  ASSERT_TRUE(IsApiOk(Act(ben_, video_, "collect")));  // bookmarked while public
  const ApiReply hidden = Send("PATCH", "/api/video/" + std::to_string(video_),
                               R"({"is_public":false})", Bearer(ann_.access_token));
  const ApiReply as_author = VideoObject(video_, ann_.access_token);
  ASSERT_EQ(hidden.response.status, 200) << hidden.Describe();
  ASSERT_EQ(JsonBool(as_author.json, "video.is_public"), false) << as_author.Describe();
  EXPECT_TRUE(IsApiError(VideoObject(video_, ben_.access_token), 404, "VIDEO_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(Act(ben_, video_, "collect"), 404, "VIDEO_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(Share(ben_, video_), 404, "VIDEO_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(
      PostApi("/api/favorite/action", VideoActionJson(video_, "like"), ben_.access_token), 404,
      "VIDEO_NOT_FOUND"));
  // Ben's bookmark stays, but the video is not shown to him; its author sees the counts.
  const ApiReply list = List(ben_.user_id, ben_.access_token);
  ASSERT_TRUE(IsApiOk(list));
  EXPECT_TRUE(ReplyIds(list, "videos").empty());
  EXPECT_EQ(Read(Act(ann_, video_, "collect")), (Answer{true, true, 2}));
  EXPECT_EQ(JsonBool(Share(ann_, video_).json, "counted"), true);
  EXPECT_EQ(JsonInt(VideoObject(video_, ann_.access_token).json, "video.share_count"), 1);
}

}  // namespace
}  // namespace reel::e2e
