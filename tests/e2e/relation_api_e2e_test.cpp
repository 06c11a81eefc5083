// /api follows and messages end to end: POST /api/relation/control, GET /api/relation/list,
// POST /api/message/send and GET /api/message/chat.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "interactions_api_fixture.hpp"

namespace reel::e2e {
namespace {

using Ids = std::vector<std::int64_t>;

constexpr std::string_view kControl = "/api/relation/control";
constexpr std::string_view kList = "/api/relation/list";
constexpr std::string_view kSend = "/api/message/send";
constexpr std::string_view kChat = "/api/message/chat";

std::string SendJson(std::int64_t to_user_id, std::string_view content) {
  const std::string with_content = ToJson({{"content", std::string(content)}});
  return R"({"to_user_id":)" + std::to_string(to_user_id) + "," + with_content.substr(1);
}

Ids Sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

class RelationApiTest : public ApiInteractionTest {
 protected:
  void SetUp() override {
    ApiInteractionTest::SetUp();
    if (HasFatalFailure()) return;
    ann_ = NewApiUser("ann");
    ben_ = NewApiUser("ben");
    carl_ = NewApiUser("carl");
    ASSERT_GT(carl_.user_id, 0);
  }

  ApiReply Control(const ApiSession& who, std::int64_t to, std::string_view action) {
    return PostApi(kControl, UserActionJson(to, action), who.access_token);
  }
  void FollowOk(const ApiSession& who, std::int64_t to) {
    EXPECT_TRUE(IsApiOk(Control(who, to, "follow")));
  }
  ApiReply List(const Pairs& query, std::string_view token = {}) {
    return GetApi(kList, query, token);
  }
  // Every id of a listing, walked with `limit`.
  Ids WalkList(std::string_view type, std::int64_t owner, int limit) {
    return WalkApiList(
        [&](const std::string& cursor) {
          Pairs query = {{"type", std::string(type)},
                         {"user_id", std::to_string(owner)},
                         {"limit", std::to_string(limit)}};
          if (!cursor.empty()) query.emplace_back("cursor", cursor);
          return List(query);
        },
        "users");
  }
  ApiReply SendMessage(const ApiSession& from, std::int64_t to, std::string_view content) {
    return PostApi(kSend, SendJson(to, content), from.access_token);
  }
  std::int64_t SendOk(const ApiSession& from, std::int64_t to, std::string_view content) {
    const ApiReply reply = SendMessage(from, to, content);
    EXPECT_TRUE(IsApiOk(reply));
    return JsonInt(reply.json, "message.id").value_or(0);
  }
  ApiReply Chat(const ApiSession& who, std::int64_t peer, std::optional<std::int64_t> after = {},
                std::optional<int> limit = {}) {
    Pairs query = {{"to_user_id", std::to_string(peer)}};
    if (after) query.emplace_back("after", std::to_string(*after));
    if (limit) query.emplace_back("limit", std::to_string(*limit));
    return GetApi(kChat, query, who.access_token);
  }

  ApiSession ann_;
  ApiSession ben_;
  ApiSession carl_;
};

TEST_F(RelationApiTest, FollowAndUnfollowAreIdempotentAndCountOnce) {
  const auto expect = [](const ApiReply& reply, bool changed, bool is_follow) {
    ASSERT_TRUE(IsApiOk(reply));
    EXPECT_EQ(JsonBool(reply.json, "changed"), changed) << reply.Describe();
    EXPECT_EQ(JsonBool(reply.json, "is_follow"), is_follow) << reply.Describe();
  };
  expect(Control(ben_, ann_.user_id, "follow"), true, true);
  expect(Control(ben_, ann_.user_id, "follow"), false, true);
  EXPECT_EQ(JsonInt(ApiUser(ann_.user_id), "follower_count"), 1);
  EXPECT_EQ(JsonInt(ApiUser(ben_.user_id), "follow_count"), 1);
  EXPECT_EQ(JsonBool(ApiUser(ann_.user_id, ben_.access_token), "is_follow"), true);
  EXPECT_EQ(JsonBool(ApiUser(ann_.user_id, carl_.access_token), "is_follow"), false);

  expect(Control(ben_, ann_.user_id, "unfollow"), true, false);
  expect(Control(ben_, ann_.user_id, "unfollow"), false, false);
  EXPECT_EQ(JsonInt(ApiUser(ann_.user_id), "follower_count"), 0);
  EXPECT_EQ(JsonInt(ApiUser(ben_.user_id), "follow_count"), 0);
}

TEST_F(RelationApiTest, ControlRefusalsChangeNothing) {
  FollowOk(ben_, ann_.user_id);
  const std::string before = Snapshot({ann_.user_id, ben_.user_id, carl_.user_id}, {});
  EXPECT_TRUE(IsApiError(Control(ben_, carl_.user_id, "befriend"), 400, "PARAM_INVALID"));
  EXPECT_NE(Control(ben_, carl_.user_id, "Follow").response.body.find("\\\"unfollow\\\""),
            std::string::npos)
      << "the refusal names the allowed values";
  EXPECT_TRUE(IsApiError(Control(ben_, ben_.user_id, "follow"), 400, "CANNOT_FOLLOW_SELF"));
  EXPECT_TRUE(IsApiError(Control(ben_, 987654, "follow"), 404, "USER_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(Control(ben_, 987654, "unfollow"), 404, "USER_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(PostApi(kControl, R"({"action":"follow"})", ben_.access_token), 400,
                         "PARAM_MISSING"));
  EXPECT_TRUE(IsApiError(PostApi(kControl, R"({"to_user_id":1})", ben_.access_token), 400,
                         "PARAM_MISSING"));
  for (const char* bad : {R"("abc")", "0", "-2", "9007199254740992"}) {
    SCOPED_TRACE(bad);
    const std::string json = std::string(R"({"action":"follow","to_user_id":)") + bad + "}";
    EXPECT_TRUE(IsApiError(PostApi(kControl, json, ben_.access_token), 400, "PARAM_INVALID"));
  }
  ExpectTokenRefusals("POST", kControl, UserActionJson(carl_.user_id, "follow"), ben_);
  ExpectTokenRefusals("POST", kControl, UserActionJson(ann_.user_id, "unfollow"), ben_);
  EXPECT_EQ(Snapshot({ann_.user_id, ben_.user_id, carl_.user_id}, {}), before);
}

TEST_F(RelationApiTest, ListsPageToTheEndForEveryType) {
  Ids fans;
  for (int i = 0; i < 5; ++i) {
    const ApiSession fan = NewApiUser("fan" + std::to_string(i));
    fans.push_back(fan.user_id);
    FollowOk(fan, ann_.user_id);
    FollowOk(ben_, fan.user_id);
    if (i % 2 == 0) FollowOk(ann_, fan.user_id);  // fans 0, 2, 4 are ann's friends
  }
  Ids newest_first(fans.rbegin(), fans.rend());
  const Ids friends = {fans[4], fans[2], fans[0]};
  for (const int limit : {1, 2, 5, 100}) {
    SCOPED_TRACE(limit);
    EXPECT_EQ(WalkList("follower", ann_.user_id, limit), newest_first);
    EXPECT_EQ(WalkList("follow", ben_.user_id, limit), newest_first);
    EXPECT_EQ(WalkList("friend", ann_.user_id, limit), friends);
  }
  EXPECT_EQ(Sorted(WalkList("follow", ann_.user_id, 2)), Sorted(friends));

  // type defaults to follow and user_id to the caller; user objects are seen by the caller.
  const ApiReply own = List({}, ben_.access_token);
  ASSERT_TRUE(IsApiOk(own));
  EXPECT_EQ(ReplyIds(own, "users"), newest_first);
  ExpectUserObject(JsonAt(own.json, "users.0"), fans[4]);
  EXPECT_EQ(JsonBool(own.json, "users.0.is_follow"), true);
  EXPECT_EQ(JsonInt(own.json, "users.0.follower_count"), 2);     // ben and ann
  EXPECT_EQ(JsonAt(own.json, "users.0.last_message"), nullptr);  // not a friend list
  const ApiReply anonymous = List({{"user_id", std::to_string(ben_.user_id)}});
  EXPECT_EQ(JsonBool(anonymous.json, "users.0.is_follow"), false);
  EXPECT_EQ(JsonBool(anonymous.json, "has_more"), false);
  EXPECT_EQ(JsonString(anonymous.json, "next_cursor"), "");
  // Nobody follows carl.
  const ApiReply none = List({{"type", "follower"}}, carl_.access_token);
  EXPECT_TRUE(ReplyIds(none, "users").empty());
  EXPECT_EQ(JsonBool(none.json, "has_more"), false);
}

TEST_F(RelationApiTest, ListRefusals) {
  EXPECT_TRUE(IsApiError(List({}), 401, "TOKEN_MISSING"));
  EXPECT_TRUE(IsApiError(List({{"type", "friend"}}), 401, "TOKEN_MISSING"));
  EXPECT_TRUE(IsApiError(List({{"type", "enemy"}}, ann_.access_token), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(List({{"type", ""}}, ann_.access_token), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(List({{"user_id", "987654"}}), 404, "USER_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(List({{"user_id", "-5"}}), 400, "PARAM_INVALID"));
  const std::string ann = std::to_string(ann_.user_id);
  EXPECT_TRUE(IsApiError(List({{"user_id", ann}, {"limit", "0"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(List({{"user_id", ann}, {"limit", "101"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(List({{"user_id", ann}, {"cursor", "?"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(List({{"user_id", ann}}, "garbage"), 401, "TOKEN_INVALID"));
  EXPECT_TRUE(IsApiError(List({{"user_id", ann}}, ann_.refresh_token), 401, "TOKEN_INVALID"));
}

TEST_F(RelationApiTest, FriendListShowsTheLastMessageToItsOwnerOnly) {
  for (const ApiSession* friend_of_ann : {&ben_, &carl_}) {
    FollowOk(ann_, friend_of_ann->user_id);
    FollowOk(*friend_of_ann, ann_.user_id);
  }
  SendOk(ann_, ben_.user_id, "hi ben");
  const std::int64_t reply_id = SendOk(ben_, ann_.user_id, "hi ann");
  SendOk(ben_, carl_.user_id, "not about ann");  // another conversation

  const ApiReply own = List({{"type", "friend"}}, ann_.access_token);
  ASSERT_TRUE(IsApiOk(own));
  ASSERT_EQ(ReplyIds(own, "users"), (Ids{carl_.user_id, ben_.user_id}));
  const rapidjson::Value* to_carl = JsonAt(own.json, "users.0.last_message");
  ASSERT_NE(to_carl, nullptr) << own.Describe();
  EXPECT_TRUE(to_carl->IsNull());
  ExpectUserObject(JsonAt(own.json, "users.1"), ben_.user_id);
  const rapidjson::Value* to_ben = JsonAt(own.json, "users.1.last_message");
  ASSERT_NE(to_ben, nullptr) << own.Describe();
  EXPECT_EQ(JsonInt(*to_ben, "id"), reply_id);
  EXPECT_EQ(JsonInt(*to_ben, "from_user_id"), ben_.user_id);
  EXPECT_EQ(JsonInt(*to_ben, "to_user_id"), ann_.user_id);
  EXPECT_EQ(JsonString(*to_ben, "content"), "hi ann");
  EXPECT_GT(JsonInt(*to_ben, "created_at").value_or(0), 0);

  // Anyone else looking at ann's friends sees the users, never the messages.
  const std::string ann = std::to_string(ann_.user_id);
  for (const std::string& token : {ben_.access_token, carl_.access_token, std::string()}) {
    const ApiReply other = List({{"type", "friend"}, {"user_id", ann}}, token);
    ASSERT_TRUE(IsApiOk(other));
    EXPECT_EQ(ReplyIds(other, "users"), (Ids{carl_.user_id, ben_.user_id}));
    EXPECT_EQ(JsonAt(other.json, "users.0.last_message"), nullptr) << other.Describe();
    EXPECT_EQ(JsonAt(other.json, "users.1.last_message"), nullptr) << other.Describe();
    EXPECT_EQ(other.response.body.find("hi ann"), std::string::npos);
  }
  // ann asking for her own friends by id is still the owner.
  const ApiReply by_id = List({{"type", "friend"}, {"user_id", ann}}, ann_.access_token);
  EXPECT_EQ(JsonString(by_id.json, "users.1.last_message.content"), "hi ann");
}

TEST_F(RelationApiTest, SendAnswersTheMessageAndChatPollsWithoutRepeats) {
  const ApiReply sent = SendMessage(ann_, ben_.user_id, "  first\tline\nsecond  ");
  ASSERT_TRUE(IsApiOk(sent));
  const rapidjson::Value* message = JsonAt(sent.json, "message");
  ASSERT_NE(message, nullptr);
  const std::int64_t first = JsonInt(*message, "id").value_or(0);
  EXPECT_GT(first, 0);
  EXPECT_EQ(JsonInt(*message, "from_user_id"), ann_.user_id);
  EXPECT_EQ(JsonInt(*message, "to_user_id"), ben_.user_id);
  EXPECT_EQ(JsonString(*message, "content"), "first\tline\nsecond");
  const std::int64_t first_at = JsonInt(*message, "created_at").value_or(0);
  EXPECT_GT(first_at, 0);

  Ids all = {first};
  for (int i = 0; i < 4; ++i) {
    all.push_back(SendOk(i % 2 == 0 ? ben_ : ann_, i % 2 == 0 ? ann_.user_id : ben_.user_id,
                         "message " + std::to_string(i)));
  }
  SendOk(carl_, ben_.user_id, "someone else");  // not in ann and ben's chat

  // Both sides see the whole conversation, oldest first; next_after is the last time.
  for (const ApiSession* who : {&ann_, &ben_}) {
    const std::int64_t peer = who == &ann_ ? ben_.user_id : ann_.user_id;
    const ApiReply chat = Chat(*who, peer);
    ASSERT_TRUE(IsApiOk(chat));
    EXPECT_EQ(ReplyIds(chat, "messages"), all);
    EXPECT_EQ(JsonInt(chat.json, "next_after"), JsonInt(chat.json, "messages.4.created_at"));
  }

  // Polling with next_after and a small limit walks the chat once, then answers nothing.
  Ids polled;
  std::int64_t after = 0;
  for (int round = 0; round < 10; ++round) {
    const ApiReply page = Chat(ben_, ann_.user_id, after, 2);
    ASSERT_TRUE(IsApiOk(page));
    const Ids ids = ReplyIds(page, "messages");
    const std::int64_t next = JsonInt(page.json, "next_after").value_or(-1);
    if (ids.empty()) {
      EXPECT_EQ(next, after);  // nothing new: the same position
      break;
    }
    EXPECT_LE(ids.size(), 2u);
    EXPECT_GT(next, after);
    polled.insert(polled.end(), ids.begin(), ids.end());
    after = next;
  }
  EXPECT_EQ(polled, all);
  // Asked again: still nothing. A new message arrives: exactly that one.
  const ApiReply again = Chat(ben_, ann_.user_id, after);
  EXPECT_TRUE(ReplyIds(again, "messages").empty());
  EXPECT_EQ(JsonInt(again.json, "next_after"), after);
  const std::int64_t late = SendOk(ann_, ben_.user_id, "one more");
  const ApiReply fresh = Chat(ben_, ann_.user_id, after);
  EXPECT_EQ(ReplyIds(fresh, "messages"), (Ids{late}));
  const std::int64_t fresh_after = JsonInt(fresh.json, "next_after").value_or(0);
  EXPECT_GT(fresh_after, after);
  EXPECT_TRUE(ReplyIds(Chat(ben_, ann_.user_id, fresh_after), "messages").empty());
  EXPECT_TRUE(ReplyIds(Chat(ann_, ben_.user_id, fresh_after), "messages").empty());
}

TEST_F(RelationApiTest, MessageRefusalsChangeNothing) {
  const std::int64_t kept = SendOk(ann_, ben_.user_id, "keep");
  EXPECT_TRUE(IsApiError(SendMessage(ann_, ann_.user_id, "me"), 400, "CANNOT_MESSAGE_SELF"));
  EXPECT_TRUE(IsApiError(SendMessage(ann_, ben_.user_id, ""), 400, "MESSAGE_INVALID"));
  EXPECT_TRUE(IsApiError(SendMessage(ann_, ben_.user_id, "   "), 400, "MESSAGE_INVALID"));
  EXPECT_TRUE(
      IsApiError(SendMessage(ann_, ben_.user_id, std::string(1001, 'm')), 400, "MESSAGE_INVALID"));
  EXPECT_TRUE(IsApiError(SendMessage(ann_, 987654, "hello?"), 404, "USER_NOT_FOUND"));
  EXPECT_TRUE(
      IsApiError(PostApi(kSend, R"({"to_user_id":2})", ann_.access_token), 400, "PARAM_MISSING"));
  EXPECT_TRUE(IsApiError(PostApi(kSend, R"({"to_user_id":"x","content":"hi"})", ann_.access_token),
                         400, "PARAM_INVALID"));
  ExpectTokenRefusals("POST", kSend, SendJson(ben_.user_id, "sneaky"), ann_);

  const std::string chat_path = WithQuery(kChat, {{"to_user_id", std::to_string(ben_.user_id)}});
  ExpectTokenRefusals("GET", chat_path, {}, ann_);
  EXPECT_TRUE(IsApiError(Chat(ann_, 987654), 404, "USER_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(GetApi(kChat, {}, ann_.access_token), 400, "PARAM_MISSING"));
  EXPECT_TRUE(IsApiError(Chat(ann_, ben_.user_id, -1), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(Chat(ann_, ben_.user_id, 0, 0), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(Chat(ann_, ben_.user_id, 0, 101), 400, "PARAM_INVALID"));
  EXPECT_TRUE(
      IsApiError(GetApi(kChat, {{"to_user_id", std::to_string(ben_.user_id)}, {"after", "soon"}},
                        ann_.access_token),
                 400, "PARAM_INVALID"));

  // Only the one message went through, and carl, outside the conversation, sees none of it.
  EXPECT_EQ(ReplyIds(Chat(ben_, ann_.user_id), "messages"), (Ids{kept}));
  EXPECT_TRUE(ReplyIds(Chat(carl_, ann_.user_id), "messages").empty());
}

}  // namespace
}  // namespace reel::e2e
