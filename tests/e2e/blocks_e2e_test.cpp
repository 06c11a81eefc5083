// Blocks (issue 16) end to end through both APIs: POST /api/relation/block and
// GET /api/relation/blocked; a block removes follows both ways with exact counters, refuses
// follows and messages in both directions, and takes the blocked user's videos and profile
// out of the blocker's feeds (latest, hot, following, Douyin) and search. Comment refusals
// are the comment service's (comment e2e tests).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "interactions_api_fixture.hpp"

namespace reel::e2e {
namespace {

using Ids = std::vector<std::int64_t>;

constexpr std::string_view kBlock = "/api/relation/block";
constexpr std::string_view kBlocked = "/api/relation/blocked";
constexpr std::string_view kControl = "/api/relation/control";

bool Has(const Ids& ids, std::int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Whether a viewer sees a video in each feed and in search, and its author among searched users.
struct Seen {
  bool latest = false;
  bool hot = false;
  bool douyin = false;
  bool search = false;
  bool user_search = false;
  bool operator==(const Seen&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Seen& s) {
  return out << "{latest " << s.latest << ", hot " << s.hot << ", douyin " << s.douyin
             << ", search " << s.search << ", user_search " << s.user_search << "}";
}

class BlocksTest : public ApiInteractionTest {
 protected:
  void SetUp() override {
    ApiInteractionTest::SetUp();
    if (HasFatalFailure()) return;
    ann_ = NewApiUser("ann");
    ben_ = NewApiUser("ben");
    carl_ = NewApiUser("carl");
    ASSERT_GT(carl_.user_id, 0);
  }

  ApiReply BlockAction(const ApiSession& who, std::int64_t to, std::string_view action) {
    return PostApi(kBlock, UserActionJson(to, action), who.access_token);
  }
  void ExpectBlock(const ApiSession& who, std::int64_t to, std::string_view action, bool changed) {
    const ApiReply reply = BlockAction(who, to, action);
    ASSERT_TRUE(IsApiOk(reply));
    EXPECT_EQ(JsonBool(reply.json, "changed"), changed) << reply.Describe();
    EXPECT_EQ(JsonBool(reply.json, "is_blocked"), action == "block") << reply.Describe();
  }
  ApiReply ApiFollow(const ApiSession& who, std::int64_t to) {
    return PostApi(kControl, UserActionJson(to, "follow"), who.access_token);
  }
  ApiReply ApiSend(const ApiSession& from, std::int64_t to) {
    return PostApi("/api/message/send",
                   R"({"to_user_id":)" + std::to_string(to) + R"(,"content":"hi"})",
                   from.access_token);
  }
  // Every id of the caller's blocked list, walked with `limit`.
  Ids WalkBlocked(const ApiSession& who, int limit) {
    return WalkApiList(
        [&](const std::string& cursor) {
          Pairs query = {{"limit", std::to_string(limit)}};
          if (!cursor.empty()) query.emplace_back("cursor", cursor);
          return GetApi(kBlocked, query, who.access_token);
        },
        "users");
  }
  // The /api user object's counters as an anonymous viewer sees them.
  std::pair<std::int64_t, std::int64_t> ApiCounts(std::int64_t user_id) {
    const rapidjson::Document user = ApiUser(user_id);
    return {JsonInt(user, "follow_count").value_or(-1),
            JsonInt(user, "follower_count").value_or(-1)};
  }
  Ids ApiFeed(std::string_view type, std::string_view token) {
    return WalkApiList(
        [&](const std::string& cursor) {
          Pairs query = {{"type", std::string(type)}, {"limit", "50"}};
          if (!cursor.empty()) query.emplace_back("cursor", cursor);
          return GetApi("/api/feed", query, token);
        },
        "videos");
  }
  Ids DouyinFeedIds(std::string_view token) {
    return IdsIn(FeedPage(Client(), token), "video_list");
  }
  Ids Search(std::string_view q, std::string_view type, std::string_view token) {
    const ApiReply reply =
        GetApi("/api/search", {{"q", std::string(q)}, {"type", std::string(type)}}, token);
    EXPECT_TRUE(IsApiOk(reply));
    return ReplyIds(reply, type == "video" ? "videos" : "users");
  }
  Seen SeenBy(const ApiSession& viewer, std::int64_t video, std::string_view title,
              const ApiSession& author, std::string_view name) {
    return {Has(ApiFeed("latest", viewer.access_token), video),
            Has(ApiFeed("hot", viewer.access_token), video),
            Has(DouyinFeedIds(viewer.access_token), video),
            Has(Search(title, "video", viewer.access_token), video),
            Has(Search(name, "user", viewer.access_token), author.user_id)};
  }

  ApiSession ann_;
  ApiSession ben_;
  ApiSession carl_;
};

TEST_F(BlocksTest, BlockRemovesFollowsBothWaysWithExactCountsAndIsIdempotent) {
  ASSERT_TRUE(IsApiOk(ApiFollow(ann_, ben_.user_id)));
  ASSERT_TRUE(IsApiOk(ApiFollow(ben_, ann_.user_id)));
  ASSERT_TRUE(IsApiOk(ApiFollow(carl_, ann_.user_id)));
  ASSERT_TRUE(IsApiOk(ApiFollow(ann_, carl_.user_id)));
  EXPECT_EQ(ApiCounts(ann_.user_id), std::make_pair(std::int64_t{2}, std::int64_t{2}));
  EXPECT_EQ(ApiCounts(ben_.user_id), std::make_pair(std::int64_t{1}, std::int64_t{1}));

  ExpectBlock(ann_, ben_.user_id, "block", true);
  // Both follows between ann and ben are gone, carl's stay.
  EXPECT_EQ(ApiCounts(ann_.user_id), std::make_pair(std::int64_t{1}, std::int64_t{1}));
  EXPECT_EQ(ApiCounts(ben_.user_id), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  EXPECT_EQ(UserCountsOf(ben_.user_id).follower_count, 0);  // the Douyin view agrees
  EXPECT_EQ(UserCountsOf(ann_.user_id).follow_count, 1);
  EXPECT_FALSE(JsonBool(ApiUser(ben_.user_id, ann_.access_token), "is_follow").value_or(true));
  const Ids friends =
      IdsIn(RelationList(Client(), "friend", ann_.user_id, ann_.access_token), "user_list");
  EXPECT_EQ(friends, Ids{carl_.user_id});

  // Again: nothing changes.
  ExpectBlock(ann_, ben_.user_id, "block", false);
  EXPECT_EQ(ApiCounts(ann_.user_id), std::make_pair(std::int64_t{1}, std::int64_t{1}));
  EXPECT_EQ(WalkBlocked(ann_, 10), Ids{ben_.user_id});

  // Unblocking does not bring the follows back.
  ExpectBlock(ann_, ben_.user_id, "unblock", true);
  ExpectBlock(ann_, ben_.user_id, "unblock", false);
  EXPECT_EQ(ApiCounts(ben_.user_id), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  EXPECT_TRUE(WalkBlocked(ann_, 10).empty());
}

TEST_F(BlocksTest, FollowsAndMessagesAreRefusedBothWaysInBothApisUntilUnblocked) {
  ExpectBlock(ann_, ben_.user_id, "block", true);
  const std::string before = Snapshot({ann_.user_id, ben_.user_id}, {});

  // The blocked user.
  const ApiReply follow = ApiFollow(ben_, ann_.user_id);
  EXPECT_TRUE(IsApiError(follow, 403, "BLOCKED"));
  EXPECT_NE(JsonString(follow.json, "message").value_or("").find("has blocked you"),
            std::string::npos)
      << follow.Describe();
  EXPECT_TRUE(IsApiError(ApiSend(ben_, ann_.user_id), 403, "BLOCKED"));
  const DouyinSession ben = AsDouyin(ben_);
  const Reply douyin_follow = Follow(Client(), ben, ann_.user_id);
  EXPECT_TRUE(IsRefused(douyin_follow, 403));
  EXPECT_NE(douyin_follow.Message().find("has blocked you"), std::string::npos);
  EXPECT_TRUE(IsRefused(SendMessage(Client(), ben, ann_.user_id, "hi"), 403));

  // The blocker, until they unblock.
  const ApiReply own = ApiFollow(ann_, ben_.user_id);
  EXPECT_TRUE(IsApiError(own, 403, "BLOCKED"));
  EXPECT_NE(JsonString(own.json, "message").value_or("").find("unblock them first"),
            std::string::npos)
      << own.Describe();
  EXPECT_TRUE(IsApiError(ApiSend(ann_, ben_.user_id), 403, "BLOCKED"));
  EXPECT_TRUE(IsRefused(Follow(Client(), AsDouyin(ann_), ben_.user_id), 403));
  EXPECT_TRUE(IsRefused(SendMessage(Client(), AsDouyin(ann_), ben_.user_id, "hi"), 403));

  EXPECT_EQ(Snapshot({ann_.user_id, ben_.user_id}, {}), before);
  const ApiReply chat = GetApi("/api/message/chat", {{"to_user_id", std::to_string(ann_.user_id)}},
                               ben_.access_token);
  ASSERT_TRUE(IsApiOk(chat));
  EXPECT_TRUE(ReplyIds(chat, "messages").empty());

  // Unblocked: both ways work again, with exact counts.
  ExpectBlock(ann_, ben_.user_id, "unblock", true);
  EXPECT_TRUE(IsApiOk(ApiFollow(ben_, ann_.user_id)));
  EXPECT_TRUE(IsOk(Follow(Client(), AsDouyin(ann_), ben_.user_id)));
  EXPECT_TRUE(IsApiOk(ApiSend(ben_, ann_.user_id)));
  EXPECT_TRUE(IsOk(SendMessage(Client(), AsDouyin(ann_), ben_.user_id, "welcome back")));
  EXPECT_EQ(ApiCounts(ann_.user_id), std::make_pair(std::int64_t{1}, std::int64_t{1}));
  EXPECT_EQ(ApiCounts(ben_.user_id), std::make_pair(std::int64_t{1}, std::int64_t{1}));
}

TEST_F(BlocksTest, TheBlockersFeedsAndSearchLeaveOutTheBlockedUserUntilUnblocked) {
  const std::int64_t bens = PublishVideo(AsDouyin(ben_), "lighthouse at dawn");
  const std::int64_t carls = PublishVideo(AsDouyin(carl_), "lighthouse at dusk");
  ASSERT_GT(carls, 0);
  ASSERT_TRUE(IsApiOk(ApiFollow(ann_, ben_.user_id)));
  const Seen all{true, true, true, true, true};
  EXPECT_EQ(SeenBy(ann_, bens, "lighthouse", ben_, "ben"), all);
  EXPECT_TRUE(Has(ApiFeed("following", ann_.access_token), bens));

  ExpectBlock(ann_, ben_.user_id, "block", true);
  EXPECT_EQ(SeenBy(ann_, bens, "lighthouse", ben_, "ben"), (Seen{}));
  EXPECT_TRUE(ApiFeed("following", ann_.access_token).empty());
  // Others' videos stay, and others still see ben's.
  EXPECT_EQ(SeenBy(ann_, carls, "lighthouse", carl_, "carl"), all);
  EXPECT_EQ(SeenBy(carl_, bens, "lighthouse", ben_, "ben"), all);
  EXPECT_TRUE(Has(ApiFeed("latest", {}), bens));
  // The blocked user still sees the blocker's world as before (blocks filter the blocker's).
  EXPECT_TRUE(Has(ApiFeed("latest", ben_.access_token), carls));

  ExpectBlock(ann_, ben_.user_id, "unblock", true);
  EXPECT_EQ(SeenBy(ann_, bens, "lighthouse", ben_, "ben"), all);
}

TEST_F(BlocksTest, BadBlockRequestsAreRefusedAndChangeNothing) {
  const std::string before = Snapshot({ann_.user_id, ben_.user_id}, {});
  EXPECT_TRUE(IsApiError(BlockAction(ann_, ann_.user_id, "block"), 400, "CANNOT_BLOCK_SELF"));
  EXPECT_TRUE(IsApiError(BlockAction(ann_, ann_.user_id, "unblock"), 400, "CANNOT_BLOCK_SELF"));
  EXPECT_TRUE(IsApiError(BlockAction(ann_, 987654, "block"), 404, "USER_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(BlockAction(ann_, 987654, "unblock"), 404, "USER_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(BlockAction(ann_, ben_.user_id, "mute"), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(PostApi(kBlock, R"({"action":"block"})", ann_.access_token), 400,
                         "PARAM_MISSING"));
  EXPECT_TRUE(
      IsApiError(PostApi(kBlock, R"({"to_user_id":1})", ann_.access_token), 400, "PARAM_MISSING"));
  EXPECT_TRUE(
      IsApiError(GetApi(kBlocked, {{"limit", "0"}}, ann_.access_token), 400, "PARAM_INVALID"));
  EXPECT_TRUE(
      IsApiError(GetApi(kBlocked, {{"cursor", "x"}}, ann_.access_token), 400, "PARAM_INVALID"));
  ExpectTokenRefusals("POST", kBlock, UserActionJson(ben_.user_id, "block"), ann_);
  ExpectTokenRefusals("GET", kBlocked, "", ann_);
  EXPECT_EQ(Snapshot({ann_.user_id, ben_.user_id}, {}), before);
  EXPECT_TRUE(WalkBlocked(ann_, 10).empty());
}

TEST_F(BlocksTest, TheBlockedListPagesNewestFirstAndIsTheCallersOwn) {
  Ids blocked;
  for (int i = 0; i < 5; ++i) {
    const ApiSession user = NewApiUser("blocked" + std::to_string(i));
    ExpectBlock(ann_, user.user_id, "block", true);
    blocked.insert(blocked.begin(), user.user_id);  // newest first
  }
  EXPECT_EQ(WalkBlocked(ann_, 2), blocked);
  EXPECT_EQ(WalkBlocked(ann_, 100), blocked);
  const ApiReply first = GetApi(kBlocked, {{"limit", "5"}}, ann_.access_token);
  ASSERT_TRUE(IsApiOk(first));
  EXPECT_EQ(JsonBool(first.json, "has_more"), false) << first.Describe();
  EXPECT_EQ(JsonString(first.json, "users.0.name"), "blocked4") << first.Describe();

  ExpectBlock(ann_, blocked[2], "unblock", true);
  blocked.erase(blocked.begin() + 2);
  EXPECT_EQ(WalkBlocked(ann_, 2), blocked);
  // Each caller sees only whom they blocked.
  EXPECT_TRUE(WalkBlocked(ben_, 10).empty());

  // One user asked for (a profile's block button): that user when blocked, else nobody.
  const auto only = [&](const ApiSession& who, std::int64_t id) {
    const ApiReply reply = GetApi(kBlocked, {{"to_user_id", std::to_string(id)}}, who.access_token);
    EXPECT_TRUE(IsApiOk(reply));
    EXPECT_EQ(JsonBool(reply.json, "has_more"), false) << reply.Describe();
    return ReplyIds(reply, "users");
  };
  EXPECT_EQ(only(ann_, blocked[0]), Ids{blocked[0]});
  EXPECT_TRUE(only(ann_, ben_.user_id).empty());
  EXPECT_TRUE(only(ben_, blocked[0]).empty());
  EXPECT_TRUE(
      IsApiError(GetApi(kBlocked, {{"to_user_id", "x"}}, ann_.access_token), 400, "PARAM_INVALID"));
}

// Follows racing blocks (two threads, bounded): however they interleave, once the last block
// stands no follow is left between the two and every counter is exact.
TEST_F(BlocksTest, FollowsRacingABlockLeaveNoFollowAndExactCounts) {
  constexpr int kRounds = 20;
  std::thread blocker([&] {
    HttpClient client(Server().Port());
    for (int i = 0; i < kRounds; ++i) {
      client.PostJson(kBlock, UserActionJson(ben_.user_id, "block"), Bearer(ann_.access_token));
      client.PostJson(kBlock, UserActionJson(ben_.user_id, "unblock"), Bearer(ann_.access_token));
    }
    const HttpResponse last =
        client.PostJson(kBlock, UserActionJson(ben_.user_id, "block"), Bearer(ann_.access_token));
    EXPECT_EQ(last.status, 200) << last.Describe();
  });
  std::thread followers([&] {
    HttpClient client(Server().Port());
    for (int i = 0; i < kRounds * 2; ++i) {
      const HttpResponse a = client.PostJson(kControl, UserActionJson(ann_.user_id, "follow"),
                                             Bearer(ben_.access_token));
      const HttpResponse b = client.PostJson(kControl, UserActionJson(ben_.user_id, "follow"),
                                             Bearer(ann_.access_token));
      for (const HttpResponse* r : {&a, &b}) {
        EXPECT_TRUE(r->status == 200 || r->status == 403) << r->Describe();  // allowed or BLOCKED
      }
    }
  });
  blocker.join();
  followers.join();

  EXPECT_EQ(ApiCounts(ann_.user_id), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  EXPECT_EQ(ApiCounts(ben_.user_id), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  EXPECT_TRUE(IdsIn(RelationList(Client(), "follow", ann_.user_id, {}), "user_list").empty());
  EXPECT_TRUE(IdsIn(RelationList(Client(), "follow", ben_.user_id, {}), "user_list").empty());
  EXPECT_EQ(WalkBlocked(ann_, 10), Ids{ben_.user_id});
}

// A relation outage must not take the feed down: the blocker's feed answers unfiltered while
// the relation process is dead, and filters again once it is back. Cluster mode only.
TEST_F(BlocksTest, TheFeedAnswersUnfilteredWhileTheRelationServiceIsDown) {
  if (!ClusterMode()) GTEST_SKIP() << "cluster test: runs with E2E_TARGET=cluster";
  const std::int64_t bens = PublishVideo(AsDouyin(ben_), "lighthouse at dawn");
  ExpectBlock(ann_, ben_.user_id, "block", true);
  ASSERT_FALSE(Has(ApiFeed("latest", ann_.access_token), bens));

  const ProcessResult kill = Server().RunClusterScript({"kill", "relation"});
  ASSERT_EQ(kill.exit_code, 0) << kill.out;
  EXPECT_TRUE(Has(ApiFeed("latest", ann_.access_token), bens));
  EXPECT_TRUE(Has(ApiFeed("hot", ann_.access_token), bens));
  EXPECT_TRUE(Has(DouyinFeedIds(ann_.access_token), bens));

  const ProcessResult restart = Server().RunClusterScript({"restart", "relation"});
  ASSERT_EQ(restart.exit_code, 0) << restart.out;
  // The feed's client finds relation again within its breaker's recovery.
  bool filtered = false;
  for (int i = 0; i < 100 && !filtered; ++i) {
    filtered = !Has(ApiFeed("latest", ann_.access_token), bens);
    if (!filtered) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(filtered);
}

}  // namespace
}  // namespace reel::e2e
