// Douyin messages end to end: POST /douyin/message/action/ and GET /douyin/message/chat/, in
// particular polling with pre_msg_time the way the client does, which must see every message
// exactly once.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness.hpp"
#include "interactions_fixture.hpp"

namespace reel::e2e {
namespace {

constexpr std::int64_t kMissingUser = 987654;
constexpr std::int64_t kHourMs = 3'600'000;

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

struct Message {
  std::int64_t id = 0;
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::string content{};
  std::int64_t create_time = 0;
};

class MessageTest : public InteractionTest {
 protected:
  // ann and ben are friends; so are ann and carl.
  void SetUp() override {
    InteractionTest::SetUp();
    if (HasFatalFailure()) return;
    ann_ = NewUser("ann");
    ben_ = NewUser("ben");
    carl_ = NewUser("carl");
    ASSERT_GT(carl_.user_id, 0);
    for (const auto& [a, b] : {std::pair{&ann_, &ben_}, std::pair{&ann_, &carl_}}) {
      ASSERT_TRUE(IsOk(Follow(Client(), *a, b->user_id)));
      ASSERT_TRUE(IsOk(Follow(Client(), *b, a->user_id)));
    }
  }

  void SendOk(const DouyinSession& from, const DouyinSession& to, std::string_view content) {
    EXPECT_TRUE(IsOk(SendMessage(Client(), from, to.user_id, content)));
  }

  // The chat of `who` with `other`; adds a failure for a refusal or a malformed message.
  std::vector<Message> ChatOf(const DouyinSession& who, const DouyinSession& other,
                              std::optional<std::int64_t> pre_msg_time = std::nullopt) {
    std::vector<Message> messages;
    const Reply reply = Chat(Client(), who.token, other.user_id, pre_msg_time);
    const rapidjson::Value* list = ListIn(reply, "message_list");
    if (list == nullptr) return messages;
    for (const rapidjson::Value& item : list->GetArray()) {
      Message message{.id = JsonInt(item, "id").value_or(0),
                      .from = JsonInt(item, "from_user_id").value_or(0),
                      .to = JsonInt(item, "to_user_id").value_or(0),
                      .content = JsonString(item, "content").value_or("<missing>"),
                      .create_time = JsonInt(item, "create_time").value_or(0)};
      EXPECT_GT(message.id, 0) << reply.Describe();
      EXPECT_GT(message.create_time, 0) << reply.Describe();
      messages.push_back(std::move(message));
    }
    return messages;
  }

  static std::vector<std::string> Contents(const std::vector<Message>& messages) {
    std::vector<std::string> contents;
    for (const Message& message : messages) contents.push_back(message.content);
    return contents;
  }

  DouyinSession ann_;
  DouyinSession ben_;
  DouyinSession carl_;
};

TEST_F(MessageTest, ChatHoldsBothDirectionsOldestFirst) {
  EXPECT_TRUE(ChatOf(ann_, ben_).empty());
  const std::int64_t before = NowMs();
  SendOk(ann_, ben_, "one");
  SendOk(ben_, ann_, "two");
  SendOk(ann_, ben_, "three");
  const std::int64_t after = NowMs();

  const std::vector<Message> seen_by_ann = ChatOf(ann_, ben_);
  ASSERT_EQ(Contents(seen_by_ann), (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(seen_by_ann[0].from, ann_.user_id);
  EXPECT_EQ(seen_by_ann[0].to, ben_.user_id);
  EXPECT_EQ(seen_by_ann[1].from, ben_.user_id);
  EXPECT_EQ(seen_by_ann[1].to, ann_.user_id);
  EXPECT_EQ(seen_by_ann[2].from, ann_.user_id);
  EXPECT_NE(seen_by_ann[0].id, seen_by_ann[1].id);
  EXPECT_NE(seen_by_ann[1].id, seen_by_ann[2].id);
  for (std::size_t i = 0; i < seen_by_ann.size(); ++i) {
    SCOPED_TRACE(i);
    // Milliseconds, taken while the request ran (a second of slack for clock rounding).
    EXPECT_GE(seen_by_ann[i].create_time, before - 1000);
    EXPECT_LE(seen_by_ann[i].create_time, after + 1000);
    if (i > 0) {
      EXPECT_GE(seen_by_ann[i].create_time, seen_by_ann[i - 1].create_time);
    }
  }

  const std::vector<Message> seen_by_ben = ChatOf(ben_, ann_);
  ASSERT_EQ(seen_by_ben.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(seen_by_ben[i].id, seen_by_ann[i].id);
    EXPECT_EQ(seen_by_ben[i].create_time, seen_by_ann[i].create_time);
  }

  // ann's chat with carl is a different conversation.
  EXPECT_TRUE(ChatOf(ann_, carl_).empty());
  EXPECT_TRUE(ChatOf(carl_, ann_).empty());
}

// The client polls with the newest create_time it has seen: nothing may repeat or go missing,
// even when messages follow each other within a millisecond.
TEST_F(MessageTest, PollingWithTheLastCreateTimeSeesEachMessageOnce) {
  SendOk(ann_, ben_, "m1");
  SendOk(ann_, ben_, "m2");
  SendOk(ben_, ann_, "m3");
  const std::vector<Message> first = ChatOf(ann_, ben_, 0);
  ASSERT_EQ(Contents(first), (std::vector<std::string>{"m1", "m2", "m3"}));
  const std::int64_t seen = first.back().create_time;

  EXPECT_TRUE(ChatOf(ann_, ben_, seen).empty()) << "old messages came back";
  EXPECT_TRUE(ChatOf(ann_, ben_, seen).empty()) << "old messages came back";

  SendOk(ben_, ann_, "m4");
  const std::vector<Message> fresh = ChatOf(ann_, ben_, seen);
  ASSERT_EQ(Contents(fresh), std::vector<std::string>{"m4"});
  EXPECT_EQ(fresh[0].from, ben_.user_id);
  EXPECT_GT(fresh[0].create_time, seen);
  EXPECT_TRUE(ChatOf(ann_, ben_, fresh[0].create_time).empty());

  // The same from the other side, polling from ben's own newest time.
  const std::vector<Message> bens = ChatOf(ben_, ann_);
  ASSERT_EQ(bens.size(), 4u);
  SendOk(ann_, ben_, "m5");
  EXPECT_EQ(Contents(ChatOf(ben_, ann_, bens.back().create_time)), std::vector<std::string>{"m5"});
}

TEST_F(MessageTest, PreMsgTimeMayBeSeconds) {
  SendOk(ann_, ben_, "hello");
  const std::int64_t now_seconds = NowMs() / 1000;
  EXPECT_EQ(Contents(ChatOf(ann_, ben_, now_seconds - 3600)), std::vector<std::string>{"hello"});
  EXPECT_TRUE(ChatOf(ann_, ben_, now_seconds + 3600).empty());
  EXPECT_EQ(Contents(ChatOf(ann_, ben_, NowMs() - kHourMs)), std::vector<std::string>{"hello"});
  EXPECT_TRUE(ChatOf(ann_, ben_, NowMs() + kHourMs).empty());
}

TEST_F(MessageTest, ContentIsOneToThousandCharacters) {
  SendOk(ann_, ben_, "first");
  for (const std::string& content : {std::string(), std::string(1001, 'x'), Repeat("信", 1001)}) {
    SCOPED_TRACE("bytes " + std::to_string(content.size()));
    EXPECT_TRUE(IsRefused(SendMessage(Client(), ann_, ben_.user_id, content), 400));
  }
  EXPECT_TRUE(IsRefused(MessageAction(Client(), {{"token", ann_.token},
                                                 {"to_user_id", std::to_string(ben_.user_id)},
                                                 {"action_type", "1"}}),
                        400));
  EXPECT_EQ(Contents(ChatOf(ann_, ben_)), std::vector<std::string>{"first"});

  const std::string longest_ascii(1000, 'y');
  const std::string longest_chinese = Repeat("信", 999) + "息";
  SendOk(ann_, ben_, longest_ascii);
  SendOk(ben_, ann_, longest_chinese);
  EXPECT_EQ(Contents(ChatOf(ann_, ben_)),
            (std::vector<std::string>{"first", longest_ascii, longest_chinese}));
}

TEST_F(MessageTest, RefusalsStoreNothing) {
  SendOk(ann_, ben_, "kept");
  const std::string ben = std::to_string(ben_.user_id);

  EXPECT_TRUE(IsRefused(SendMessage(Client(), ann_, ann_.user_id, "note to self"), 400));
  EXPECT_TRUE(IsRefused(SendMessage(Client(), ann_, kMissingUser, "anyone?"), 404));
  EXPECT_TRUE(IsRefused(
      MessageAction(Client(), {{"to_user_id", ben}, {"action_type", "1"}, {"content", "anon"}}),
      401));
  EXPECT_TRUE(IsRefused(
      MessageAction(
          Client(),
          {{"token", "garbage"}, {"to_user_id", ben}, {"action_type", "1"}, {"content", "forged"}}),
      401));
  EXPECT_TRUE(IsRefused(Chat(Client(), {}, ben_.user_id), 401));

  EXPECT_EQ(Contents(ChatOf(ann_, ben_)), std::vector<std::string>{"kept"});
  const Reply friends = RelationList(Client(), "friend", ann_.user_id, ann_.token);
  const rapidjson::Value* item = FindById(friends, "user_list", ben_.user_id);
  ASSERT_NE(item, nullptr) << friends.Describe();
  EXPECT_EQ(JsonString(*item, "message"), "kept");
}

}  // namespace
}  // namespace reel::e2e
