// /api comments end to end: POST /api/comment/create, DELETE /api/comment/{id} and
// GET /api/comment/get, the comment object's shape, ownership and every refusal.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "interactions_api_fixture.hpp"

namespace reel::e2e {
namespace {

using Ids = std::vector<std::int64_t>;

constexpr std::string_view kCreate = "/api/comment/create";
constexpr std::string_view kList = "/api/comment/get";

// {"video_id": <number>, "content": "<escaped>"}
std::string CreateJson(std::int64_t video_id, std::string_view content) {
  const std::string with_content = ToJson({{"content", std::string(content)}});
  return R"({"video_id":)" + std::to_string(video_id) + "," + with_content.substr(1);
}

std::string CommentPath(std::string_view id) {
  return "/api/comment/" + std::string(id);
}

class CommentApiTest : public ApiInteractionTest {
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

  ApiReply Create(const ApiSession& who, std::int64_t video, std::string_view content) {
    return PostApi(kCreate, CreateJson(video, content), who.access_token);
  }
  // Comments and returns the new comment's id (0 and a failure when refused).
  std::int64_t CommentOk(const ApiSession& who, std::string_view content) {
    const ApiReply reply = Create(who, video_, content);
    EXPECT_TRUE(IsApiOk(reply));
    return JsonInt(reply.json, "comment.id").value_or(0);
  }
  ApiReply List(const Pairs& query, std::string_view token = {}) {
    return GetApi(kList, query, token);
  }
  std::int64_t CommentCount() { return VideoCountsOf(video_).comment_count.value_or(-1); }

  ApiSession ann_;
  ApiSession ben_;
  ApiSession carl_;
  std::int64_t video_ = 0;
};

TEST_F(CommentApiTest, CreateAnswersTheFullCommentObject) {
  const auto before = std::chrono::system_clock::now();
  const ApiReply reply = Create(ben_, video_, "  nice clip\nreally  ");
  ASSERT_TRUE(IsApiOk(reply));
  const rapidjson::Value* comment = JsonAt(reply.json, "comment");
  ASSERT_NE(comment, nullptr);
  EXPECT_GT(JsonInt(*comment, "id").value_or(0), 0);
  EXPECT_LE(JsonInt(*comment, "id").value_or(0), kMaxSafeId);
  EXPECT_EQ(JsonInt(*comment, "video_id"), video_);
  EXPECT_EQ(JsonString(*comment, "content"), "nice clip\nreally");  // trimmed, lines kept
  ExpectUserObject(JsonAt(*comment, "user"), ben_.user_id);
  EXPECT_EQ(JsonString(*comment, "user.name"), "ben");
  const std::int64_t created_at = JsonInt(*comment, "created_at").value_or(0);
  const std::int64_t before_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(before.time_since_epoch()).count();
  EXPECT_GE(created_at, before_ms - 1000);
  EXPECT_LE(created_at, before_ms + 60'000);
  EXPECT_EQ(JsonString(*comment, "create_date"), UtcMonthDay());
  EXPECT_EQ(CommentCount(), 1);

  // The listed comment is the same object.
  const ApiReply listed = List({{"video_id", std::to_string(video_)}});
  ASSERT_TRUE(IsApiOk(listed));
  const rapidjson::Value* first = JsonAt(listed.json, "comments.0");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(JsonInt(*first, "id"), JsonInt(*comment, "id"));
  EXPECT_EQ(JsonInt(*first, "created_at"), created_at);
  EXPECT_EQ(JsonString(*first, "content"), "nice clip\nreally");
  EXPECT_EQ(JsonInt(*first, "video_id"), video_);
  EXPECT_EQ(JsonString(*first, "create_date"), UtcMonthDay());

  // The Douyin list shows the same comment with the shared writer's extra fields.
  const Reply douyin = CommentList(Client(), video_, {});
  EXPECT_EQ(IdsIn(douyin, "comment_list"), (Ids{*JsonInt(*comment, "id")}));
  EXPECT_EQ(JsonInt(douyin.json, "comment_list.0.video_id"), video_);
}

TEST_F(CommentApiTest, ListIsNewestFirstAndPagesToTheEndWithoutRepeatsOrGaps) {
  Ids newest_first;
  for (int i = 0; i < 7; ++i) {
    const ApiSession& who = i % 2 == 0 ? ben_ : carl_;
    newest_first.insert(newest_first.begin(), CommentOk(who, "comment " + std::to_string(i)));
  }
  for (const int limit : {1, 2, 3, 7, 20}) {
    SCOPED_TRACE(limit);
    const Ids all = WalkApiList(
        [&](const std::string& cursor) {
          Pairs query = {{"video_id", std::to_string(video_)}, {"limit", std::to_string(limit)}};
          if (!cursor.empty()) query.emplace_back("cursor", cursor);
          return List(query);
        },
        "comments");
    EXPECT_EQ(all, newest_first);
  }
  // Authors' user objects are seen by the caller: is_follow is theirs.
  ASSERT_TRUE(IsApiOk(
      PostApi("/api/relation/control", UserActionJson(ben_.user_id, "follow"), ann_.access_token)));
  const ApiReply as_ann = List({{"video_id", std::to_string(video_)}}, ann_.access_token);
  ASSERT_TRUE(IsApiOk(as_ann));
  EXPECT_EQ(JsonInt(as_ann.json, "comments.0.user.id"), ben_.user_id);  // comment 6 is ben's
  EXPECT_EQ(JsonBool(as_ann.json, "comments.0.user.is_follow"), true);
  EXPECT_EQ(JsonBool(as_ann.json, "comments.1.user.is_follow"), false);  // carl
  const ApiReply anonymous = List({{"video_id", std::to_string(video_)}});
  EXPECT_EQ(JsonBool(anonymous.json, "comments.0.user.is_follow"), false);
  EXPECT_EQ(JsonBool(anonymous.json, "has_more"), false);
  EXPECT_EQ(JsonString(anonymous.json, "next_cursor"), "");

  // A video without comments has an empty, finished list.
  const std::int64_t quiet = PublishVideo(AsDouyin(ann_), "quiet");
  const ApiReply empty = List({{"video_id", std::to_string(quiet)}});
  EXPECT_TRUE(ReplyIds(empty, "comments").empty());
  EXPECT_EQ(JsonBool(empty.json, "has_more"), false);
}

TEST_F(CommentApiTest, DeleteIsForTheCommentsAuthorOrTheVideosAuthor) {
  const std::int64_t by_ben = CommentOk(ben_, "ben's");
  const std::int64_t by_carl = CommentOk(carl_, "carl's");
  const std::int64_t by_ann = CommentOk(ann_, "ann's own");
  ASSERT_EQ(CommentCount(), 3);

  // Someone else's comment on someone else's video: refused, nothing changes.
  EXPECT_TRUE(IsApiError(DeleteApi(CommentPath(std::to_string(by_ben)), carl_.access_token), 403,
                         "COMMENT_NOT_YOURS"));
  EXPECT_TRUE(IsApiError(DeleteApi(CommentPath(std::to_string(by_ann)), ben_.access_token), 403,
                         "COMMENT_NOT_YOURS"));
  EXPECT_EQ(CommentCount(), 3);

  const ApiReply own = DeleteApi(CommentPath(std::to_string(by_ben)), ben_.access_token);
  ASSERT_TRUE(IsApiOk(own));
  EXPECT_EQ(JsonBool(own.json, "deleted"), true);
  const ApiReply as_video_author =
      DeleteApi(CommentPath(std::to_string(by_carl)), ann_.access_token);
  ASSERT_TRUE(IsApiOk(as_video_author));
  EXPECT_EQ(JsonBool(as_video_author.json, "deleted"), true);
  EXPECT_TRUE(IsApiError(DeleteApi(CommentPath(std::to_string(by_ben)), ben_.access_token), 404,
                         "COMMENT_NOT_FOUND"));
  EXPECT_EQ(CommentCount(), 1);
  EXPECT_EQ(ReplyIds(List({{"video_id", std::to_string(video_)}}), "comments"), (Ids{by_ann}));
}

TEST_F(CommentApiTest, RefusalsNameTheProblemAndChangeNothing) {
  const std::int64_t kept = CommentOk(ben_, "keep me");
  const std::string before = Snapshot({ann_.user_id, ben_.user_id}, {video_});

  EXPECT_TRUE(IsApiError(Create(ben_, video_, ""), 400, "COMMENT_INVALID"));
  EXPECT_TRUE(IsApiError(Create(ben_, video_, " \n "), 400, "COMMENT_INVALID"));
  EXPECT_TRUE(IsApiError(Create(ben_, video_, std::string(501, 'x')), 400, "COMMENT_INVALID"));
  EXPECT_TRUE(IsApiError(Create(ben_, video_, "bell\a"), 400, "COMMENT_INVALID"));
  EXPECT_TRUE(
      IsApiError(PostApi(kCreate, R"({"video_id":1})", ben_.access_token), 400, "PARAM_MISSING"));
  EXPECT_TRUE(
      IsApiError(PostApi(kCreate, R"({"content":"hi"})", ben_.access_token), 400, "PARAM_MISSING"));
  EXPECT_TRUE(IsApiError(Create(ben_, 987654, "hi"), 404, "VIDEO_NOT_FOUND"));
  for (const char* bad : {R"("abc")", "0", "-1", "9007199254740992"}) {
    SCOPED_TRACE(bad);
    const std::string json = std::string(R"({"content":"hi","video_id":)") + bad + "}";
    EXPECT_TRUE(IsApiError(PostApi(kCreate, json, ben_.access_token), 400, "PARAM_INVALID"));
  }
  ExpectTokenRefusals("POST", kCreate, CreateJson(video_, "sneaky"), ben_);

  for (const char* bad : {"abc", "0", "-1", "9007199254740992", "1e3", "12abc"}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(IsApiError(DeleteApi(CommentPath(bad), ben_.access_token), 400, "PARAM_INVALID"));
  }
  EXPECT_TRUE(
      IsApiError(DeleteApi(CommentPath("987654"), ben_.access_token), 404, "COMMENT_NOT_FOUND"));
  ExpectTokenRefusals("DELETE", CommentPath(std::to_string(kept)), {}, ben_);

  EXPECT_TRUE(IsApiError(List({}), 400, "PARAM_MISSING"));
  EXPECT_TRUE(IsApiError(List({{"video_id", "987654"}}), 404, "VIDEO_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(List({{"video_id", "x"}}), 400, "PARAM_INVALID"));
  const std::string video = std::to_string(video_);
  EXPECT_TRUE(IsApiError(List({{"video_id", video}, {"limit", "0"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(List({{"video_id", video}, {"limit", "101"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(List({{"video_id", video}, {"cursor", "no"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(List({{"video_id", video}}, "garbage"), 401, "TOKEN_INVALID"));
  EXPECT_TRUE(
      IsApiError(List({{"video_id", video}}, ExpiredToken(ben_.user_id)), 401, "TOKEN_EXPIRED"));

  EXPECT_EQ(Snapshot({ann_.user_id, ben_.user_id}, {video_}), before);
  EXPECT_EQ(ReplyIds(List({{"video_id", video}}), "comments"), (Ids{kept}));
}

}  // namespace
}  // namespace reel::e2e
