// Douyin comments end to end: POST /douyin/comment/action/ (post and delete) and GET
// /douyin/comment/list/, with the comment counter and the refusals that must leave no trace.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness.hpp"
#include "interactions_fixture.hpp"

namespace reel::e2e {
namespace {

constexpr std::int64_t kMissingVideo = 987654;

using Ids = std::vector<std::int64_t>;

std::string Repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

class CommentTest : public InteractionTest {
 protected:
  void SetUp() override {
    InteractionTest::SetUp();
    if (HasFatalFailure()) return;
    ann_ = NewUser("ann");
    ben_ = NewUser("ben");
    carl_ = NewUser("carl");
    ASSERT_GT(carl_.user_id, 0);
    video_ = PublishVideo(ann_, "ann's clip");
    ASSERT_GT(video_, 0);
  }

  // Posts `text` as `who` on video_ and returns the new comment's id (0 and a failure when
  // refused).
  std::int64_t CommentOk(const DouyinSession& who, std::string_view text) {
    const Reply reply = PostComment(Client(), who, video_, text);
    EXPECT_TRUE(IsOk(reply));
    return JsonInt(reply.json, "comment.id").value_or(0);
  }

  std::vector<std::int64_t> CommentIds() {
    return IdsIn(CommentList(Client(), video_, {}), "comment_list");
  }

  std::string State() { return Snapshot({ann_.user_id, ben_.user_id, carl_.user_id}, {video_}); }

  DouyinSession ann_;
  DouyinSession ben_;
  DouyinSession carl_;
  std::int64_t video_ = 0;
};

TEST_F(CommentTest, PostAnswersWithTheCommentAndItsAuthor) {
  const std::string day_before = UtcMonthDay();
  const Reply reply = PostComment(Client(), ben_, video_, "nice clip");
  const std::string day_after = UtcMonthDay();
  ASSERT_TRUE(IsOk(reply));
  EXPECT_EQ(reply.Message(), "ok");

  const std::optional<std::int64_t> id = JsonInt(reply.json, "comment.id");
  ASSERT_TRUE(id.has_value()) << reply.Describe();
  EXPECT_GT(*id, 0);
  EXPECT_LE(*id, kMaxSafeId);
  EXPECT_EQ(JsonString(reply.json, "comment.content"), "nice clip");
  const std::string date = JsonString(reply.json, "comment.create_date").value_or("");
  EXPECT_TRUE(date == day_before || date == day_after) << date << " vs " << day_before;
  const rapidjson::Value* user = JsonAt(reply.json, "comment.user");
  ASSERT_NE(user, nullptr) << reply.Describe();
  ExpectUserObject(user, ben_.user_id);
  EXPECT_EQ(JsonString(*user, "name"), "ben");

  // The counter moves wherever the video shows up.
  EXPECT_EQ(VideoCountsOf(video_), (VideoCounts{0, 1, false}));
  const rapidjson::Document published = Videos(ann_.user_id, ben_);
  ASSERT_EQ(published.Size(), 1u);
  EXPECT_EQ(JsonInt(published[0], "comment_count"), 1);

  const Reply list = CommentList(Client(), video_, {});
  ASSERT_EQ(IdsIn(list, "comment_list"), Ids{*id});
  const rapidjson::Value& listed = (*ListIn(list, "comment_list"))[0];
  EXPECT_EQ(JsonString(listed, "content"), "nice clip");
  EXPECT_EQ(JsonString(listed, "create_date"), date);
  ExpectUserObject(JsonAt(listed, "user"), ben_.user_id);
  EXPECT_EQ(NextCursor(list), 0);
}

TEST_F(CommentTest, ListIsNewestFirstWithEachAuthorAndPages) {
  const std::int64_t c1 = CommentOk(ben_, "one");
  const std::int64_t c2 = CommentOk(carl_, "two");
  const std::int64_t c3 = CommentOk(ann_, "three");
  const std::int64_t c4 = CommentOk(ben_, "four");
  const std::int64_t c5 = CommentOk(carl_, "five");
  const Ids newest_first = {c5, c4, c3, c2, c1};

  const Reply list = CommentList(Client(), video_, ben_.token);
  ASSERT_EQ(IdsIn(list, "comment_list"), newest_first);
  const std::vector<std::int64_t> authors = {carl_.user_id, ben_.user_id, ann_.user_id,
                                             carl_.user_id, ben_.user_id};
  const std::vector<std::string> texts = {"five", "four", "three", "two", "one"};
  for (rapidjson::SizeType i = 0; i < 5; ++i) {
    const rapidjson::Value& comment = (*ListIn(list, "comment_list"))[i];
    EXPECT_EQ(JsonString(comment, "content"), texts[i]);
    ExpectUserObject(JsonAt(comment, "user"), authors[i]);
  }
  EXPECT_EQ(VideoCountsOf(video_).comment_count, 5);

  const Reply first = CommentList(Client(), video_, {}, {.limit = 2});
  EXPECT_EQ(IdsIn(first, "comment_list"), (Ids{c5, c4}));
  ASSERT_TRUE(NextCursor(first).has_value()) << first.Describe();
  EXPECT_NE(NextCursor(first), 0);
  const Reply second = CommentList(Client(), video_, {}, {.cursor = NextCursor(first), .limit = 2});
  EXPECT_EQ(IdsIn(second, "comment_list"), (Ids{c3, c2}));
  const Reply third = CommentList(Client(), video_, {}, {.cursor = NextCursor(second), .limit = 2});
  EXPECT_EQ(IdsIn(third, "comment_list"), (Ids{c1}));
  EXPECT_EQ(NextCursor(third), 0);
}

TEST_F(CommentTest, DefaultPageIsThirty) {
  constexpr int kComments = 31;
  for (int i = 0; i < kComments; ++i) CommentOk(ben_, "comment " + std::to_string(i));
  const Reply first = CommentList(Client(), video_, {});
  EXPECT_EQ(IdsIn(first, "comment_list").size(), 30u);
  ASSERT_TRUE(NextCursor(first).has_value()) << first.Describe();
  ASSERT_NE(NextCursor(first), 0);
  const Reply rest = CommentList(Client(), video_, {}, {.cursor = NextCursor(first)});
  const rapidjson::Value* items = ListIn(rest, "comment_list");
  ASSERT_NE(items, nullptr);
  ASSERT_EQ(items->Size(), 1u);
  EXPECT_EQ(JsonString((*items)[0], "content"), "comment 0");
  EXPECT_EQ(NextCursor(rest), 0);
  EXPECT_EQ(VideoCountsOf(video_).comment_count, kComments);
}

TEST_F(CommentTest, DeletingOwnCommentRemovesItOnceOnly) {
  const std::int64_t keep = CommentOk(carl_, "stays");
  const std::int64_t gone = CommentOk(ben_, "goes");
  ASSERT_GT(gone, 0);

  const Reply reply = DeleteComment(Client(), ben_, video_, gone);
  ASSERT_TRUE(IsOk(reply));
  const rapidjson::Value* comment = JsonAt(reply.json, "comment");
  ASSERT_NE(comment, nullptr) << "no comment key: " << reply.Describe();
  EXPECT_TRUE(comment->IsNull()) << reply.Describe();
  EXPECT_EQ(CommentIds(), Ids{keep});
  EXPECT_EQ(VideoCountsOf(video_).comment_count, 1);

  const std::string after = State();
  EXPECT_TRUE(IsRefused(DeleteComment(Client(), ben_, video_, gone), 404));
  EXPECT_EQ(State(), after);
}

TEST_F(CommentTest, OnlyTheCommenterOrTheVideoAuthorMayDelete) {
  const std::int64_t bens = CommentOk(ben_, "ben was here");
  const std::int64_t carls = CommentOk(carl_, "carl too");
  ASSERT_GT(carls, 0);

  const std::string before = State();
  EXPECT_TRUE(IsRefused(DeleteComment(Client(), carl_, video_, bens), 403));
  EXPECT_TRUE(IsRefused(DeleteComment(Client(), ben_, video_, carls), 403));
  EXPECT_EQ(State(), before);
  EXPECT_EQ(CommentIds(), (Ids{carls, bens}));

  // ann wrote the video, so she may remove anyone's comment on it.
  EXPECT_TRUE(IsOk(DeleteComment(Client(), ann_, video_, bens)));
  EXPECT_EQ(CommentIds(), Ids{carls});
  EXPECT_EQ(VideoCountsOf(video_).comment_count, 1);

  // On someone else's video ann is just another user.
  const std::int64_t bens_video = PublishVideo(ben_, "ben's clip");
  ASSERT_GT(bens_video, 0);
  const Reply on_bens = PostComment(Client(), carl_, bens_video, "hello ben");
  ASSERT_TRUE(IsOk(on_bens));
  const std::int64_t on_bens_id = JsonInt(on_bens.json, "comment.id").value_or(0);
  EXPECT_TRUE(IsRefused(DeleteComment(Client(), ann_, bens_video, on_bens_id), 403));
  EXPECT_EQ(IdsIn(CommentList(Client(), bens_video, {}), "comment_list"), Ids{on_bens_id});
}

TEST_F(CommentTest, ContentMustBeOneToFiveHundredCharacters) {
  CommentOk(carl_, "existing");
  const std::string before = State();
  for (const std::string& text : {std::string(), std::string("   "), std::string(" \t\n "),
                                  std::string(501, 'x'), Repeat("评", 501)}) {
    SCOPED_TRACE("length " + std::to_string(text.size()));
    EXPECT_TRUE(IsRefused(PostComment(Client(), ben_, video_, text), 400));
  }
  EXPECT_TRUE(IsRefused(CommentAction(Client(), {{"token", ben_.token},
                                                 {"video_id", std::to_string(video_)},
                                                 {"action_type", "1"}}),
                        400));
  EXPECT_EQ(State(), before);

  // Characters, not bytes: 500 Chinese characters are 1500 bytes and still fit.
  const std::string longest = Repeat("评", 499) + "论";
  const Reply chinese = PostComment(Client(), ben_, video_, longest);
  ASSERT_TRUE(IsOk(chinese));
  EXPECT_EQ(JsonString(chinese.json, "comment.content"), longest);
  const std::string ascii(500, 'y');
  ASSERT_TRUE(IsOk(PostComment(Client(), ben_, video_, ascii)));

  const Reply list = CommentList(Client(), video_, {});
  const rapidjson::Value* items = ListIn(list, "comment_list");
  ASSERT_NE(items, nullptr);
  ASSERT_EQ(items->Size(), 3u);
  EXPECT_EQ(JsonString((*items)[0], "content"), ascii);
  EXPECT_EQ(JsonString((*items)[1], "content"), longest);
  EXPECT_EQ(VideoCountsOf(video_).comment_count, 3);
}

TEST_F(CommentTest, MissingVideoIsNotFound) {
  const std::string before = State();
  EXPECT_TRUE(IsRefused(PostComment(Client(), ben_, kMissingVideo, "into the void"), 404));
  EXPECT_TRUE(IsRefused(CommentList(Client(), kMissingVideo, {}), 404));
  EXPECT_EQ(State(), before);
}

TEST_F(CommentTest, ActionsNeedAToken) {
  const std::int64_t existing = CommentOk(ben_, "mine");
  const std::string before = State();
  const std::string video = std::to_string(video_);
  EXPECT_TRUE(IsRefused(
      CommentAction(Client(),
                    {{"video_id", video}, {"action_type", "1"}, {"comment_text", "anonymous"}}),
      401));
  EXPECT_TRUE(IsRefused(CommentAction(Client(), {{"video_id", video},
                                                 {"action_type", "2"},
                                                 {"comment_id", std::to_string(existing)}}),
                        401));
  EXPECT_TRUE(IsRefused(CommentAction(Client(), {{"token", "garbage"},
                                                 {"video_id", video},
                                                 {"action_type", "1"},
                                                 {"comment_text", "forged"}}),
                        401));
  EXPECT_EQ(State(), before);
}

// The user objects inside comments are live: they show the commenter's current counters and
// is_follow for whoever asks.
TEST_F(CommentTest, CommentUsersCarryCurrentCounters) {
  CommentOk(ben_, "follow me");
  ASSERT_TRUE(IsOk(Follow(Client(), carl_, ben_.user_id)));
  ASSERT_TRUE(IsOk(Like(Client(), ben_, video_)));

  const auto commenter = [&](std::string_view token) {
    const Reply list = CommentList(Client(), video_, token);
    const rapidjson::Value* items = ListIn(list, "comment_list");
    if (items == nullptr || items->Empty() || JsonAt((*items)[0], "user") == nullptr) {
      ADD_FAILURE() << "no comment with a user: " << list.Describe();
      return UserCounts{};
    }
    return ReadUserCounts(*JsonAt((*items)[0], "user"));
  };
  const UserCounts seen_by_carl = commenter(carl_.token);
  EXPECT_EQ(seen_by_carl.follower_count, 1) << seen_by_carl;
  EXPECT_EQ(seen_by_carl.favorite_count, 1) << seen_by_carl;
  EXPECT_EQ(seen_by_carl.is_follow, true) << seen_by_carl;
  EXPECT_EQ(commenter(ann_.token).is_follow, false);
  EXPECT_EQ(commenter({}).is_follow, false);
}

}  // namespace
}  // namespace reel::e2e
