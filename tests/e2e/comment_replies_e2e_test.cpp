// Comment replies end to end (issue 16), through both APIs: replies and their paging, a
// reply to a reply ("A ▸ B"), deleting a thread with exact counts, refusals that change
// nothing, the brief's /api/comment/creat spelling, blocks (relation's block route), and
// replies racing the deletion of their thread.
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "interactions_api_fixture.hpp"

namespace reel::e2e {
namespace {

using Ids = std::vector<std::int64_t>;

std::string CreateJson(std::int64_t video_id, std::string_view content,
                       std::int64_t parent_id = 0) {
  std::string json = ToJson({{"content", std::string(content)}});
  json = R"({"video_id":)" + std::to_string(video_id) + "," + json.substr(1);
  if (parent_id != 0) {
    json = R"({"parent_id":)" + std::to_string(parent_id) + "," + json.substr(1);
  }
  return json;
}

class CommentRepliesTest : public ApiInteractionTest {
 protected:
  void SetUp() override {
    ApiInteractionTest::SetUp();
    if (HasFatalFailure()) return;
    ann_ = NewApiUser("ann");
    ben_ = NewApiUser("ben");
    carl_ = NewApiUser("carl");
    ASSERT_GT(carl_.user_id, 0);
    video_ = PublishVideo(AsDouyin(ann_), "ann's clip");
    ASSERT_GT(video_, 0);
  }

  ApiReply Create(const ApiSession& who, std::int64_t parent_id, std::string_view content = "re",
                  std::int64_t video = 0) {
    return PostApi("/api/comment/create", CreateJson(video ? video : video_, content, parent_id),
                   who.access_token);
  }
  std::int64_t CreateOk(const ApiSession& who, std::int64_t parent_id,
                        std::string_view content = "re") {
    const ApiReply reply = Create(who, parent_id, content);
    EXPECT_TRUE(IsApiOk(reply));
    return JsonInt(reply.json, "comment.id").value_or(0);
  }
  ApiReply Threads(std::string_view token = {}) {
    return GetApi("/api/comment/get", {{"video_id", std::to_string(video_)}}, token);
  }
  ApiReply Replies(std::int64_t comment_id, const Pairs& more = {}, std::string_view token = {}) {
    Pairs query = {{"comment_id", std::to_string(comment_id)}};
    query.insert(query.end(), more.begin(), more.end());
    return GetApi("/api/comment/replies", query, token);
  }
  Ids AllReplies(std::int64_t comment_id, int limit) {
    return WalkApiList(
        [&](const std::string& cursor) {
          Pairs more = {{"limit", std::to_string(limit)}};
          if (!cursor.empty()) more.emplace_back("cursor", cursor);
          return Replies(comment_id, more);
        },
        "replies");
  }
  // comment_count as the Douyin feed and the /api video object show it.
  std::int64_t DouyinCount() { return VideoCountsOf(video_).comment_count.value_or(-1); }
  std::int64_t ApiCount() {
    const ApiReply video = GetApi("/api/video/" + std::to_string(video_), {}, {});
    EXPECT_TRUE(IsApiOk(video));
    return JsonInt(video.json, "video.comment_count").value_or(-1);
  }
  std::string State() { return Snapshot({ann_.user_id, ben_.user_id, carl_.user_id}, {video_}); }

  ApiSession ann_;
  ApiSession ben_;
  ApiSession carl_;
  std::int64_t video_ = 0;
};

TEST_F(CommentRepliesTest, ThreadsShowReplyCountsFirstRepliesAndWhomAReplyAnswers) {
  const std::int64_t top = CreateOk(ben_, 0, "top");
  Ids replies;
  for (int i = 0; i < 5; ++i) replies.push_back(CreateOk(carl_, top, "r" + std::to_string(i)));
  const ApiReply answer = Create(ann_, replies[1], "to carl");  // a reply to a reply
  ASSERT_TRUE(IsApiOk(answer));
  replies.push_back(JsonInt(answer.json, "comment.id").value_or(0));
  EXPECT_EQ(JsonInt(answer.json, "comment.parent_id"), top);  // the same thread
  EXPECT_EQ(JsonInt(answer.json, "comment.reply_to_comment_id"), replies[1]);
  EXPECT_EQ(JsonInt(answer.json, "comment.reply_to_user.id"), carl_.user_id);  // ann ▸ carl

  const ApiReply threads = Threads();
  ASSERT_TRUE(IsApiOk(threads));
  EXPECT_EQ(ReplyIds(threads, "comments"), (Ids{top}));
  EXPECT_EQ(JsonInt(threads.json, "comments.0.parent_id"), 0);
  EXPECT_TRUE(JsonAt(threads.json, "comments.0.reply_to_user")->IsNull());
  EXPECT_EQ(JsonInt(threads.json, "comments.0.reply_count"), 6);
  const rapidjson::Value* first = JsonAt(threads.json, "comments.0.first_replies");
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(first->Size(), 3u);  // the oldest three
  for (rapidjson::SizeType i = 0; i < 3; ++i) EXPECT_EQ(JsonInt((*first)[i], "id"), replies[i]);
  EXPECT_EQ(JsonInt((*first)[0], "reply_to_user.id"), ben_.user_id);

  // Replies page oldest first, whatever the page size.
  for (const int limit : {1, 2, 4, 6, 100}) {
    SCOPED_TRACE(limit);
    EXPECT_EQ(AllReplies(top, limit), replies);
  }
  // comment_count counts replies (as Douyin does), on both APIs, and the Douyin list has
  // every comment, newest first.
  EXPECT_EQ(DouyinCount(), 7);
  EXPECT_EQ(ApiCount(), 7);
  Ids newest_first(replies.rbegin(), replies.rend());
  newest_first.push_back(top);
  EXPECT_EQ(IdsIn(CommentList(Client(), video_, {}), "comment_list"), newest_first);
}

TEST_F(CommentRepliesTest, DouyinRepliesKeepTheDouyinShapeAndTheCreatAliasWorks) {
  const ApiReply via_alias =
      PostApi("/api/comment/creat", CreateJson(video_, "spelled creat"), ben_.access_token);
  ASSERT_TRUE(IsApiOk(via_alias));
  const std::int64_t top = JsonInt(via_alias.json, "comment.id").value_or(0);
  const ApiReply alias_reply =
      PostApi("/api/comment/creat", CreateJson(video_, "and a reply", top), carl_.access_token);
  ASSERT_TRUE(IsApiOk(alias_reply));
  EXPECT_EQ(JsonInt(alias_reply.json, "comment.parent_id"), top);

  const Reply douyin = CommentAction(Client(), {{"token", ann_.access_token},
                                                {"video_id", std::to_string(video_)},
                                                {"action_type", "1"},
                                                {"comment_text", "douyin reply"},
                                                {"parent_id", std::to_string(top)}});
  ASSERT_TRUE(IsOk(douyin));
  const std::int64_t douyin_id = JsonInt(douyin.json, "comment.id").value_or(0);
  EXPECT_EQ(JsonString(douyin.json, "comment.content"), "douyin reply");
  ExpectUserObject(JsonAt(douyin.json, "comment.user"), ann_.user_id);
  EXPECT_TRUE(JsonString(douyin.json, "comment.create_date").has_value());
  EXPECT_EQ(AllReplies(top, 10),
            (Ids{JsonInt(alias_reply.json, "comment.id").value_or(0), douyin_id}));
  // parent_id 0 on Douyin is a plain comment.
  ASSERT_TRUE(IsOk(CommentAction(Client(), {{"token", ben_.access_token},
                                            {"video_id", std::to_string(video_)},
                                            {"action_type", "1"},
                                            {"comment_text", "plain"},
                                            {"parent_id", "0"}})));
  EXPECT_EQ(ReplyIds(Threads(), "comments").size(), 2u);
  EXPECT_EQ(DouyinCount(), 4);
  EXPECT_EQ(ApiCount(), 4);
}

TEST_F(CommentRepliesTest, DeletingAThreadDeletesItsRepliesWithExactCounts) {
  const std::int64_t doomed = CreateOk(ben_, 0, "doomed");
  const std::int64_t kept = CreateOk(carl_, 0, "kept");
  const std::int64_t reply = CreateOk(carl_, doomed);
  CreateOk(ann_, reply);
  const std::int64_t kept_reply = CreateOk(ben_, kept);
  EXPECT_EQ(ApiCount(), 5);
  // Through /api: the thread's author deletes it, its replies go too.
  ASSERT_TRUE(IsApiOk(DeleteApi("/api/comment/" + std::to_string(doomed), ben_.access_token)));
  EXPECT_EQ(ApiCount(), 2);
  EXPECT_EQ(DouyinCount(), 2);
  EXPECT_EQ(IdsIn(CommentList(Client(), video_, {}), "comment_list"), (Ids{kept_reply, kept}));
  EXPECT_TRUE(IsApiError(Replies(doomed), 404, "COMMENT_NOT_FOUND"));
  // A late reply to the deleted thread is refused.
  EXPECT_TRUE(IsApiError(Create(ann_, reply), 404, "COMMENT_NOT_FOUND"));
  // Through Douyin: deleting a reply takes only itself.
  ASSERT_TRUE(IsOk(DeleteComment(Client(), AsDouyin(ben_), video_, kept_reply)));
  EXPECT_EQ(ApiCount(), 1);
  EXPECT_EQ(JsonInt(Threads().json, "comments.0.reply_count"), 0);
}

TEST_F(CommentRepliesTest, BadParentsAndBadReplyQueriesAreRefusedAndChangeNothing) {
  const std::int64_t top = CreateOk(ben_, 0, "top");
  const std::int64_t other_video = PublishVideo(AsDouyin(carl_), "carl's clip");
  const std::int64_t elsewhere =
      JsonInt(Create(ben_, 0, "there", other_video).json, "comment.id").value_or(0);
  ASSERT_GT(elsewhere, 0);
  const std::string before = State();

  const ApiReply foreign = Create(carl_, elsewhere);  // a parent on another video
  EXPECT_TRUE(IsApiError(foreign, 404, "COMMENT_NOT_FOUND"));
  EXPECT_NE(JsonString(foreign.json, "message").value_or("").find("is not on video"),
            std::string::npos);
  EXPECT_TRUE(IsApiError(Create(carl_, 987654), 404, "COMMENT_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(
      PostApi("/api/comment/create",
              R"({"video_id":)" + std::to_string(video_) + R"(,"content":"x","parent_id":-3})",
              carl_.access_token),
      400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(
      PostApi("/api/comment/create",
              R"({"video_id":)" + std::to_string(video_) + R"(,"content":"x","parent_id":"abc"})",
              carl_.access_token),
      400, "PARAM_INVALID"));
  EXPECT_TRUE(IsRefused(CommentAction(Client(), {{"token", carl_.access_token},
                                                 {"video_id", std::to_string(video_)},
                                                 {"action_type", "1"},
                                                 {"comment_text", "x"},
                                                 {"parent_id", std::to_string(elsewhere)}}),
                        404));
  EXPECT_EQ(State(), before);
  EXPECT_EQ(ApiCount(), 1);

  EXPECT_TRUE(IsApiError(GetApi("/api/comment/replies", {}, {}), 400, "PARAM_MISSING"));
  EXPECT_TRUE(IsApiError(Replies(987654), 404, "COMMENT_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(Replies(top, {{"limit", "0"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(Replies(top, {{"cursor", "-1"}}), 400, "PARAM_INVALID"));
  const std::int64_t reply = CreateOk(carl_, top);
  const ApiReply of_reply = Replies(reply);  // replies hang off top-level comments only
  EXPECT_TRUE(IsApiError(of_reply, 404, "COMMENT_NOT_FOUND"));
}

// Blocks are relation's (POST /api/relation/block; BlockedBy and BlockedIds for comments).
TEST_F(CommentRepliesTest, BlockedCommentersAreRefusedAndBlockersListsLeaveThemOut) {
  const std::int64_t by_carl = CreateOk(carl_, 0, "carl's");
  const std::int64_t by_ben = CreateOk(ben_, 0, "ben's");
  const auto block = [&](const ApiSession& who, const ApiSession& whom) {
    return IsApiOk(
        PostApi("/api/relation/block", UserActionJson(whom.user_id, "block"), who.access_token));
  };
  ASSERT_TRUE(block(carl_, ben_));  // carl blocked ben: ben cannot answer carl
  const std::string before = State();
  const ApiReply reply = Create(ben_, by_carl);
  EXPECT_TRUE(IsApiError(reply, 403, "BLOCKED"));
  EXPECT_EQ(JsonString(reply.json, "message"), "the author of that comment has blocked you");
  EXPECT_TRUE(IsApiOk(Create(ben_, 0, "still fine on ann's video")));  // ann did not block ben

  ASSERT_TRUE(block(ann_, ben_));  // the video's author blocked ben: nothing on her video
  const std::string after_ok = State();
  const ApiReply on_video = Create(ben_, 0, "hello");
  EXPECT_TRUE(IsApiError(on_video, 403, "BLOCKED"));
  EXPECT_EQ(JsonString(on_video.json, "message"), "the video's author has blocked you");
  EXPECT_TRUE(IsApiError(Create(ben_, by_ben), 403, "BLOCKED"));
  EXPECT_TRUE(IsRefused(PostComment(Client(), AsDouyin(ben_), video_, "douyin"), 403));
  EXPECT_EQ(State(), after_ok);
  EXPECT_NE(before, after_ok);

  // The blockers' lists leave ben out (carl blocked him too); others still see him.
  EXPECT_EQ(ReplyIds(Threads(ann_.access_token), "comments"), (Ids{by_carl}));
  EXPECT_EQ(IdsIn(CommentList(Client(), video_, ann_.access_token), "comment_list").size(), 1u);
  EXPECT_EQ(ReplyIds(Threads(carl_.access_token), "comments"), (Ids{by_carl}));
  EXPECT_EQ(ReplyIds(Threads(), "comments").size(), 3u);
  EXPECT_EQ(ApiCount(), 3);
}

// Replies racing the deletion of their thread: whatever interleaving, nothing is left
// orphaned and the count equals what the Douyin list shows.
TEST_F(CommentRepliesTest, RepliesRacingTheirThreadsDeletionLeaveExactCounts) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    const std::int64_t top = CreateOk(ben_, 0, "thread " + std::to_string(round));
    std::atomic<int> stored{0};
    std::vector<std::thread> repliers;
    for (int t = 0; t < kThreads; ++t) {
      repliers.emplace_back([&, t] {
        HttpClient client(Server().Port());
        const ApiSession& who = t % 2 ? carl_ : ann_;
        for (int i = 0; i < 5; ++i) {
          const HttpResponse r = client.PostJson(
              "/api/comment/create", CreateJson(video_, "race", top), Bearer(who.access_token));
          if (r.status == 200) stored.fetch_add(1);
        }
      });
    }
    std::thread deleter([&] {
      HttpClient client(Server().Port());
      (void)client.Request("DELETE", "/api/comment/" + std::to_string(top), {}, {},
                           Bearer(ben_.access_token));
    });
    for (auto& r : repliers) r.join();
    deleter.join();
    EXPECT_TRUE(IsApiError(Replies(top), 404, "COMMENT_NOT_FOUND"));
  }
  EXPECT_TRUE(ReplyIds(Threads(), "comments").empty());
  EXPECT_EQ(IdsIn(CommentList(Client(), video_, {}), "comment_list").size(), 0u);
  EXPECT_EQ(ApiCount(), 0);
  EXPECT_EQ(DouyinCount(), 0);
}

}  // namespace
}  // namespace reel::e2e
