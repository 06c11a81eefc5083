// Douyin relations end to end: POST /douyin/relation/action/ and the follow, follower and
// friend lists, with the counters and is_follow flags shown elsewhere.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness.hpp"
#include "interactions_fixture.hpp"

namespace reel::e2e {
namespace {

constexpr std::int64_t kMissingUser = 987654;

using Ids = std::vector<std::int64_t>;

Ids Sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

class RelationTest : public InteractionTest {
 protected:
  void SetUp() override {
    InteractionTest::SetUp();
    if (HasFatalFailure()) return;
    ann_ = NewUser("ann");
    ben_ = NewUser("ben");
    carl_ = NewUser("carl");
    ASSERT_GT(carl_.user_id, 0);
  }

  Ids ListIds(std::string_view which, std::int64_t user, std::string_view token = {}) {
    return IdsIn(RelationList(Client(), which, user, token), "user_list");
  }

  // is_follow of `user` inside `owner`'s `which` list as seen with `token`.
  std::optional<bool> IsFollowIn(std::string_view which, std::int64_t owner, std::int64_t user,
                                 std::string_view token) {
    const Reply list = RelationList(Client(), which, owner, token);
    const rapidjson::Value* item = FindById(list, "user_list", user);
    if (item == nullptr) {
      ADD_FAILURE() << user << " not in the " << which << " list of " << owner;
      return std::nullopt;
    }
    return JsonBool(*item, "is_follow");
  }

  std::string State() { return Snapshot({ann_.user_id, ben_.user_id, carl_.user_id}, {}); }

  DouyinSession ann_;
  DouyinSession ben_;
  DouyinSession carl_;
};

TEST_F(RelationTest, FollowShowsInCountersAndListsAndUnfollowUndoesIt) {
  const std::int64_t bens_video = PublishVideo(ben_, "ben's clip");
  ASSERT_GT(bens_video, 0);
  const Reply reply = Follow(Client(), ann_, ben_.user_id);
  ASSERT_TRUE(IsOk(reply));
  EXPECT_NE(reply.Message(), "already following");

  const UserCounts ann = UserCountsOf(ann_.user_id);
  EXPECT_EQ(ann.follow_count, 1) << ann;
  EXPECT_EQ(ann.follower_count, 0) << ann;
  const UserCounts ben = UserCountsOf(ben_.user_id);
  EXPECT_EQ(ben.follow_count, 0) << ben;
  EXPECT_EQ(ben.follower_count, 1) << ben;
  EXPECT_EQ(ben.is_follow, false) << "anonymous: " << ben;
  EXPECT_EQ(UserCountsOf(ben_.user_id, ann_.token).is_follow, true);
  EXPECT_EQ(UserCountsOf(ben_.user_id, carl_.token).is_follow, false);
  EXPECT_EQ(UserCountsOf(ann_.user_id, ben_.token).is_follow, false);

  // The author object in the feed says the same.
  const Reply feed = FeedPage(Client(), ann_.token);
  const rapidjson::Value* video = FindById(feed, "video_list", bens_video);
  ASSERT_NE(video, nullptr) << feed.Describe();
  EXPECT_EQ(JsonBool(*video, "author.is_follow"), true);
  EXPECT_EQ(JsonInt(*video, "author.follower_count"), 1);
  const Reply anonymous_feed = FeedPage(Client());
  const rapidjson::Value* anonymous_video = FindById(anonymous_feed, "video_list", bens_video);
  ASSERT_NE(anonymous_video, nullptr) << anonymous_feed.Describe();
  EXPECT_EQ(JsonBool(*anonymous_video, "author.is_follow"), false);

  // Lists: full user objects with live counters.
  const Reply follows = RelationList(Client(), "follow", ann_.user_id, ann_.token);
  ASSERT_EQ(IdsIn(follows, "user_list"), Ids{ben_.user_id});
  const rapidjson::Value& followed = (*ListIn(follows, "user_list"))[0];
  ExpectUserObject(&followed, ben_.user_id);
  EXPECT_EQ(ReadUserCounts(followed), (UserCounts{0, 1, 0, 0, 1, true}));
  EXPECT_EQ(NextCursor(follows), 0);
  EXPECT_EQ(IsFollowIn("follow", ann_.user_id, ben_.user_id, {}), false);

  const Reply followers = RelationList(Client(), "follower", ben_.user_id, ben_.token);
  ASSERT_EQ(IdsIn(followers, "user_list"), Ids{ann_.user_id});
  const rapidjson::Value& follower = (*ListIn(followers, "user_list"))[0];
  ExpectUserObject(&follower, ann_.user_id);
  EXPECT_EQ(ReadUserCounts(follower), (UserCounts{1, 0, 0, 0, 0, false}));
  EXPECT_TRUE(ListIds("follower", ann_.user_id).empty());
  EXPECT_TRUE(ListIds("follow", ben_.user_id).empty());

  const Reply undo = Unfollow(Client(), ann_, ben_.user_id);
  ASSERT_TRUE(IsOk(undo));
  EXPECT_NE(undo.Message(), "not following");
  EXPECT_EQ(UserCountsOf(ann_.user_id).follow_count, 0);
  EXPECT_EQ(UserCountsOf(ben_.user_id).follower_count, 0);
  EXPECT_EQ(UserCountsOf(ben_.user_id, ann_.token).is_follow, false);
  EXPECT_TRUE(ListIds("follow", ann_.user_id).empty());
  EXPECT_TRUE(ListIds("follower", ben_.user_id).empty());
}

TEST_F(RelationTest, FollowingTwiceAndUnfollowingAStrangerChangeNothing) {
  const std::string fresh = State();
  EXPECT_TRUE(IsNoop(Unfollow(Client(), ann_, ben_.user_id), "not following"));
  EXPECT_EQ(State(), fresh);

  ASSERT_TRUE(IsOk(Follow(Client(), ann_, ben_.user_id)));
  const std::string following = State();
  EXPECT_NE(following, fresh);
  EXPECT_TRUE(IsNoop(Follow(Client(), ann_, ben_.user_id), "already following"));
  EXPECT_EQ(State(), following);
  EXPECT_EQ(UserCountsOf(ben_.user_id).follower_count, 1);

  ASSERT_TRUE(IsOk(Unfollow(Client(), ann_, ben_.user_id)));
  EXPECT_TRUE(IsNoop(Unfollow(Client(), ann_, ben_.user_id), "not following"));
  EXPECT_EQ(State(), fresh);
}

TEST_F(RelationTest, RefusalsChangeNothing) {
  ASSERT_TRUE(IsOk(Follow(Client(), ann_, ben_.user_id)));
  const std::string before = State();

  EXPECT_TRUE(IsRefused(Follow(Client(), ann_, ann_.user_id), 400));
  EXPECT_TRUE(IsRefused(Unfollow(Client(), ann_, ann_.user_id), 400));
  EXPECT_TRUE(IsRefused(Follow(Client(), ann_, kMissingUser), 404));
  EXPECT_TRUE(IsRefused(Unfollow(Client(), ann_, kMissingUser), 404));
  const std::string carl = std::to_string(carl_.user_id);
  EXPECT_TRUE(
      IsRefused(RelationAction(Client(), {{"to_user_id", carl}, {"action_type", "1"}}), 401));
  EXPECT_TRUE(IsRefused(
      RelationAction(Client(), {{"token", "garbage"}, {"to_user_id", carl}, {"action_type", "1"}}),
      401));

  EXPECT_EQ(State(), before);
}

TEST_F(RelationTest, IsFollowInListsIsForTheViewer) {
  const DouyinSession dan = NewUser("dan");
  ASSERT_TRUE(IsOk(Follow(Client(), ann_, ben_.user_id)));
  ASSERT_TRUE(IsOk(Follow(Client(), ann_, carl_.user_id)));
  ASSERT_TRUE(IsOk(Follow(Client(), dan, ben_.user_id)));

  EXPECT_EQ(Sorted(ListIds("follow", ann_.user_id)), Sorted({ben_.user_id, carl_.user_id}));
  EXPECT_EQ(IsFollowIn("follow", ann_.user_id, ben_.user_id, dan.token), true);
  EXPECT_EQ(IsFollowIn("follow", ann_.user_id, carl_.user_id, dan.token), false);
  EXPECT_EQ(IsFollowIn("follow", ann_.user_id, ben_.user_id, {}), false);
  EXPECT_EQ(IsFollowIn("follow", ann_.user_id, carl_.user_id, ann_.token), true);

  // In ben's follower list, ann and dan are followed by nobody.
  EXPECT_EQ(Sorted(ListIds("follower", ben_.user_id)), Sorted({ann_.user_id, dan.user_id}));
  EXPECT_EQ(IsFollowIn("follower", ben_.user_id, ann_.user_id, ben_.token), false);
  ASSERT_TRUE(IsOk(Follow(Client(), ben_, ann_.user_id)));
  EXPECT_EQ(IsFollowIn("follower", ben_.user_id, ann_.user_id, ben_.token), true);
  EXPECT_EQ(IsFollowIn("follower", ben_.user_id, dan.user_id, ben_.token), false);
}

TEST_F(RelationTest, ListsPageWithCursor) {
  std::vector<DouyinSession> fans;
  for (int i = 0; i < 5; ++i) {
    fans.push_back(NewUser("fan" + std::to_string(i)));
    ASSERT_GT(fans.back().user_id, 0);
    ASSERT_TRUE(IsOk(Follow(Client(), fans.back(), ann_.user_id)));
    ASSERT_TRUE(IsOk(Follow(Client(), ben_, fans.back().user_id)));
  }
  Ids expected;
  for (const DouyinSession& fan : fans) expected.push_back(fan.user_id);

  const Reply first = RelationList(Client(), "follower", ann_.user_id, {}, {.limit = 2});
  EXPECT_EQ(IdsIn(first, "user_list").size(), 2u);
  EXPECT_NE(NextCursor(first).value_or(0), 0) << first.Describe();
  for (const std::string_view which : {"follower", "follow"}) {
    SCOPED_TRACE(which);
    const std::int64_t owner = which == "follower" ? ann_.user_id : ben_.user_id;
    const Ids all =
        AllIds([&](const Page& page) { return RelationList(Client(), which, owner, {}, page); },
               "user_list", 2);
    EXPECT_EQ(all.size(), expected.size()) << "repeats or gaps";
    EXPECT_EQ(Sorted(all), Sorted(expected));
  }
  EXPECT_EQ(UserCountsOf(ann_.user_id).follower_count, 5);
  EXPECT_EQ(UserCountsOf(ben_.user_id).follow_count, 5);
}

TEST_F(RelationTest, FriendsAreMutualFollowsWithTheirLatestMessage) {
  ASSERT_TRUE(IsOk(Follow(Client(), ann_, ben_.user_id)));
  ASSERT_TRUE(IsOk(Follow(Client(), ann_, carl_.user_id)));
  EXPECT_TRUE(ListIds("friend", ann_.user_id, ann_.token).empty()) << "one-way is no friend";
  ASSERT_TRUE(IsOk(Follow(Client(), ben_, ann_.user_id)));

  const auto friend_item = [&](const DouyinSession& owner, std::int64_t other, std::string& message,
                               std::optional<std::int64_t>& msg_type) {
    const Reply list = RelationList(Client(), "friend", owner.user_id, owner.token);
    ASSERT_EQ(IdsIn(list, "user_list"), Ids{other});
    const rapidjson::Value& item = (*ListIn(list, "user_list"))[0];
    ExpectUserObject(&item, other);
    const std::optional<std::string> text = JsonString(item, "message");
    ASSERT_TRUE(text.has_value()) << list.Describe();
    message = *text;
    msg_type = JsonInt(item, "msgType");
  };
  std::string message;
  std::optional<std::int64_t> msg_type;

  friend_item(ann_, ben_.user_id, message, msg_type);
  EXPECT_EQ(message, "");
  friend_item(ben_, ann_.user_id, message, msg_type);
  EXPECT_EQ(message, "");

  ASSERT_TRUE(IsOk(SendMessage(Client(), ann_, ben_.user_id, "hi ben")));
  friend_item(ann_, ben_.user_id, message, msg_type);
  EXPECT_EQ(message, "hi ben");
  EXPECT_EQ(msg_type, 1) << "ann sent it";
  friend_item(ben_, ann_.user_id, message, msg_type);
  EXPECT_EQ(message, "hi ben");
  EXPECT_EQ(msg_type, 0) << "ben received it";

  ASSERT_TRUE(IsOk(SendMessage(Client(), ben_, ann_.user_id, "hello ann")));
  friend_item(ann_, ben_.user_id, message, msg_type);
  EXPECT_EQ(message, "hello ann");
  EXPECT_EQ(msg_type, 0);
  friend_item(ben_, ann_.user_id, message, msg_type);
  EXPECT_EQ(message, "hello ann");
  EXPECT_EQ(msg_type, 1);

  // A message with someone else does not leak into this friendship.
  ASSERT_TRUE(IsOk(SendMessage(Client(), ann_, carl_.user_id, "hi carl")));
  friend_item(ann_, ben_.user_id, message, msg_type);
  EXPECT_EQ(message, "hello ann");

  ASSERT_TRUE(IsOk(Unfollow(Client(), ben_, ann_.user_id)));
  EXPECT_TRUE(ListIds("friend", ann_.user_id, ann_.token).empty());
  EXPECT_TRUE(ListIds("friend", ben_.user_id, ben_.token).empty());
}

}  // namespace
}  // namespace reel::e2e
