#include "relation/domain/relation_service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "relation/store/relation_migrations.hpp"
#include "relation/store/sql_relation_repository.hpp"
#include "kit/db/sqlite.hpp"

namespace reel::relation {
namespace {

using namespace std::chrono_literals;

// Users 1..kUsers exist.
class FakeUserDirectory final : public UserDirectory {
 public:
  static constexpr std::int64_t kUsers = 200;
  Result<bool> Exists(std::int64_t user_id) override {
    if (down) return Unavailable("DEPENDENCY_TIMEOUT", "user.BatchGetUsers: no answer in time");
    return user_id >= 1 && user_id <= kUsers;
  }
  bool down = false;  // the user service cannot be reached
};

class RelationServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_relation_service_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "r.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "relation", RelationMigrations()).ok());
    repo_ = std::make_unique<SqlRelationRepository>(*db_);
    service_ = std::make_unique<RelationService>(*repo_, users_, clock_);
  }
  void TearDown() override {
    service_.reset();
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Follow(std::int64_t from, std::int64_t to) {
    auto changed = service_->Follow(from, to);
    ASSERT_TRUE(changed.ok()) << changed.status().message;
    ASSERT_TRUE(*changed);
  }
  Message Send(std::int64_t from, std::int64_t to, std::string_view content) {
    auto m = service_->SendMessage(from, to, content);
    EXPECT_TRUE(m.ok()) << m.status().message;
    return m.ok() ? *m : Message{};
  }
  FollowStat StatOf(std::int64_t id, std::int64_t viewer = 0) {
    const std::int64_t ids[] = {id};
    return service_->Stats(ids, viewer).at(id);
  }
  std::int64_t NowMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
        .count();
  }

  ManualClock clock_;
  FakeUserDirectory users_;
  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlRelationRepository> repo_;
  std::unique_ptr<RelationService> service_;
};

using Ids = std::vector<std::int64_t>;

// "Cannot ask the user service" is not "no such user": the caller learns which, and
// nothing is stored.
TEST_F(RelationServiceTest, AnUnreachableUserServiceIsAnErrorNotAMissingUser) {
  users_.down = true;
  EXPECT_EQ(service_->Follow(1, 2).status().reason, "DEPENDENCY_TIMEOUT");
  EXPECT_EQ(service_->SendMessage(1, 2, "hi").status().reason, "DEPENDENCY_TIMEOUT");
  users_.down = false;
  EXPECT_TRUE(service_->List(1, RelationKind::kFollowing, 0, 0).user_ids.empty());
  EXPECT_TRUE(service_->Chat(1, 2, 0, 0).empty());
}

TEST_F(RelationServiceTest, FollowAndUnfollowAreIdempotentAndCountersFollowRows) {
  EXPECT_TRUE(*service_->Follow(1, 2));
  EXPECT_FALSE(*service_->Follow(1, 2));  // twice: nothing moves
  EXPECT_EQ(StatOf(1).follow_count, 1);
  EXPECT_EQ(StatOf(1).follower_count, 0);
  EXPECT_EQ(StatOf(2).follow_count, 0);
  EXPECT_EQ(StatOf(2).follower_count, 1);

  EXPECT_TRUE(*service_->Unfollow(1, 2));
  EXPECT_FALSE(*service_->Unfollow(1, 2));
  EXPECT_FALSE(*service_->Unfollow(1, 3));  // a stranger
  // Nothing to undo with someone who does not exist, or with yourself: refused, not "ok".
  EXPECT_EQ(service_->Unfollow(1, 999).status().reason, "USER_NOT_FOUND");
  EXPECT_EQ(service_->Unfollow(1, 1).status().reason, "CANNOT_FOLLOW_SELF");
  for (std::int64_t id : {1, 2, 3}) {
    EXPECT_EQ(StatOf(id).follow_count, 0) << id;  // never negative
    EXPECT_EQ(StatOf(id).follower_count, 0) << id;
  }
  EXPECT_TRUE(*service_->Follow(1, 2));  // and back again
  EXPECT_EQ(StatOf(2).follower_count, 1);
}

TEST_F(RelationServiceTest, RefusedFollowsChangeNothing) {
  auto self = service_->Follow(1, 1);
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.status().code, Code::kInvalidArgument);
  EXPECT_EQ(self.status().reason, "CANNOT_FOLLOW_SELF");
  EXPECT_EQ(self.status().message, "you cannot follow yourself");
  auto missing = service_->Follow(1, 999);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code, Code::kNotFound);
  EXPECT_EQ(missing.status().reason, "USER_NOT_FOUND");

  EXPECT_TRUE(service_->List(1, RelationKind::kFollowing, 0, 0).user_ids.empty());
  EXPECT_TRUE(service_->List(1, RelationKind::kFollowers, 0, 0).user_ids.empty());
  EXPECT_EQ(StatOf(1).follow_count, 0);
  EXPECT_EQ(StatOf(1).follower_count, 0);
  EXPECT_EQ(StatOf(999).follower_count, 0);
}

TEST_F(RelationServiceTest, FriendsAreMutualFollowsOnly) {
  Follow(1, 2);
  Follow(1, 3);
  Follow(1, 4);
  Follow(2, 1);
  Follow(4, 1);
  Follow(5, 1);  // 1 does not follow 5 back
  EXPECT_EQ(service_->List(1, RelationKind::kFriends, 0, 0).user_ids, (Ids{4, 2}));
  EXPECT_EQ(service_->List(2, RelationKind::kFriends, 0, 0).user_ids, (Ids{1}));
  EXPECT_TRUE(service_->List(3, RelationKind::kFriends, 0, 0).user_ids.empty());
  EXPECT_TRUE(service_->List(5, RelationKind::kFriends, 0, 0).user_ids.empty());
  EXPECT_EQ(service_->List(1, RelationKind::kFollowing, 0, 0).user_ids, (Ids{4, 3, 2}));
  EXPECT_EQ(service_->List(1, RelationKind::kFollowers, 0, 0).user_ids, (Ids{5, 4, 2}));

  ASSERT_TRUE(*service_->Unfollow(2, 1));
  EXPECT_EQ(service_->List(1, RelationKind::kFriends, 0, 0).user_ids, (Ids{4}));
}

TEST_F(RelationServiceTest, PagesAreNewestFirstWithoutRepeats) {
  for (std::int64_t u = 2; u <= 20; ++u) Follow(u, 1);
  for (std::int64_t u = 2; u <= 20; ++u) Follow(1, u);  // all 19 are friends
  Ids newest_first;
  for (std::int64_t u = 20; u >= 2; --u) newest_first.push_back(u);

  for (RelationKind kind :
       {RelationKind::kFollowing, RelationKind::kFollowers, RelationKind::kFriends}) {
    Ids all;
    std::vector<std::size_t> sizes;
    std::int64_t cursor = 0;
    do {
      RelationPage page = service_->List(1, kind, cursor, 7);
      sizes.push_back(page.user_ids.size());
      all.insert(all.end(), page.user_ids.begin(), page.user_ids.end());
      cursor = page.next_cursor;
    } while (cursor != 0 && sizes.size() < 10);
    EXPECT_EQ(sizes, (std::vector<std::size_t>{7, 7, 5})) << static_cast<int>(kind);
    EXPECT_EQ(all, newest_first) << static_cast<int>(kind);
  }

  // A page that ends exactly at the end says so: no cursor to an empty page.
  RelationPage full = service_->List(1, RelationKind::kFollowers, 0, 19);
  EXPECT_EQ(full.user_ids.size(), 19u);
  EXPECT_EQ(full.next_cursor, 0);
  RelationPage first = service_->List(1, RelationKind::kFollowers, 0, 18);
  EXPECT_EQ(first.user_ids.size(), 18u);
  ASSERT_NE(first.next_cursor, 0);
  RelationPage last = service_->List(1, RelationKind::kFollowers, first.next_cursor, 18);
  EXPECT_EQ(last.user_ids.size(), 1u);
  EXPECT_EQ(last.next_cursor, 0);
}

TEST_F(RelationServiceTest, PageSizeDefaultsAndClamps) {
  for (std::int64_t u = 2; u <= 130; ++u) Follow(u, 1);
  EXPECT_EQ(service_->List(1, RelationKind::kFollowers, 0, 0).user_ids.size(), 30u);
  EXPECT_EQ(service_->List(1, RelationKind::kFollowers, 0, 1000).user_ids.size(), 100u);
  EXPECT_EQ(service_->List(1, RelationKind::kFollowers, 0, -3).user_ids.size(), 1u);
}

TEST_F(RelationServiceTest, StatsCoverEveryIdAndTheViewer) {
  Follow(1, 2);
  Follow(3, 2);
  Follow(1, 3);
  const std::int64_t ids[] = {2, 3, 4, 999};
  auto stats = service_->Stats(ids, 1);
  ASSERT_EQ(stats.size(), 4u);
  EXPECT_EQ(stats[2].follower_count, 2);
  EXPECT_EQ(stats[2].follow_count, 0);
  EXPECT_TRUE(stats[2].followed_by_viewer);
  EXPECT_EQ(stats[3].follow_count, 1);
  EXPECT_EQ(stats[3].follower_count, 1);
  EXPECT_TRUE(stats[3].followed_by_viewer);
  EXPECT_FALSE(stats[4].followed_by_viewer);
  EXPECT_EQ(stats[4].follower_count, 0);
  EXPECT_EQ(stats[999].follow_count, 0);

  for (const auto& [id, stat] : service_->Stats(ids, 0)) EXPECT_FALSE(stat.followed_by_viewer);
  EXPECT_FALSE(service_->Stats(ids, 3)[3].followed_by_viewer);
  EXPECT_TRUE(service_->Stats(ids, 3)[2].followed_by_viewer);
  EXPECT_TRUE(service_->Stats({}, 1).empty());

  // Viewer only: whether the viewer follows each, the counters left at 0.
  auto marks = service_->Stats(ids, 1, /*viewer_only=*/true);
  ASSERT_EQ(marks.size(), 4u);
  EXPECT_TRUE(marks[2].followed_by_viewer);
  EXPECT_EQ(marks[2].follower_count, 0);
  EXPECT_FALSE(marks[4].followed_by_viewer);
}

TEST_F(RelationServiceTest, FrozenClockStillGivesUniqueIncreasingTimesAndExactPolling) {
  // The clock never moves: every message asks for the same millisecond.
  const Message a = Send(1, 2, "a");
  const Message x = Send(1, 3, "x");  // another conversation in between
  const Message b = Send(2, 1, "b");
  const Message c = Send(1, 2, "  c\n");
  EXPECT_EQ(a.created_at_ms, NowMs());
  EXPECT_LT(a.created_at_ms, x.created_at_ms);
  EXPECT_LT(x.created_at_ms, b.created_at_ms);
  EXPECT_LT(b.created_at_ms, c.created_at_ms);
  EXPECT_EQ(c.content, "c");

  for (auto [user, peer] : {std::pair{1, 2}, std::pair{2, 1}}) {
    auto chat = service_->Chat(user, peer, 0, 0);
    ASSERT_EQ(chat.size(), 3u);
    EXPECT_EQ(chat[0].id, a.id);
    EXPECT_EQ(chat[1].id, b.id);
    EXPECT_EQ(chat[2].id, c.id);
    EXPECT_EQ(chat[1].from_user_id, 2);
    EXPECT_TRUE(service_->Chat(user, peer, chat.back().created_at_ms, 0).empty());
  }

  const Message d = Send(2, 1, "d");
  auto fresh = service_->Chat(1, 2, c.created_at_ms, 0);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].id, d.id);

  // A page smaller than the backlog continues from its last time.
  auto first = service_->Chat(1, 2, 0, 2);
  ASSERT_EQ(first.size(), 2u);
  auto rest = service_->Chat(1, 2, first.back().created_at_ms, 2);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].id, c.id);
  EXPECT_EQ(rest[1].id, d.id);

  // Once the clock is ahead of the stored times, it is used as is.
  clock_.Advance(10s);
  EXPECT_EQ(Send(1, 2, "later").created_at_ms, NowMs());
}

TEST_F(RelationServiceTest, RefusedMessagesAreNotStored) {
  EXPECT_EQ(service_->SendMessage(1, 1, "hi").status().reason, "CANNOT_MESSAGE_SELF");
  EXPECT_EQ(service_->SendMessage(1, 1, "hi").status().code, Code::kInvalidArgument);
  EXPECT_EQ(service_->SendMessage(1, 999, "hi").status().reason, "USER_NOT_FOUND");
  EXPECT_EQ(service_->SendMessage(1, 999, "hi").status().code, Code::kNotFound);
  EXPECT_EQ(service_->SendMessage(1, 2, " \n ").status().reason, "MESSAGE_INVALID");
  EXPECT_EQ(service_->SendMessage(1, 2, std::string(1001, 'a')).status().reason, "MESSAGE_INVALID");
  EXPECT_TRUE(service_->Chat(1, 2, 0, 0).empty());
  EXPECT_TRUE(service_->Chat(1, 999, 0, 0).empty());
}

TEST_F(RelationServiceTest, LatestMessagePerPeer) {
  Send(1, 2, "a");
  const Message b = Send(2, 1, "b");
  const Message c = Send(1, 3, "c");
  Send(2, 3, "not about 1");
  const std::int64_t peers[] = {2, 3, 4, 1};
  auto latest = service_->LatestMessages(1, peers);
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest.at(2).id, b.id);
  EXPECT_EQ(latest.at(2).from_user_id, 2);
  EXPECT_EQ(latest.at(3).id, c.id);
  EXPECT_EQ(latest.at(3).content, "c");
  EXPECT_TRUE(service_->LatestMessages(1, {}).empty());

  const std::int64_t from_three[] = {1, 2};
  auto of_three = service_->LatestMessages(3, from_three);
  ASSERT_EQ(of_three.size(), 2u);
  EXPECT_EQ(of_three.at(1).id, c.id);
  EXPECT_EQ(of_three.at(2).content, "not about 1");
}

// Messages are private: only the owner of a friend list sees the newest of each
// conversation, and only on the friend list.
TEST_F(RelationServiceTest, OnlyTheOwnerOfAFriendListSeesItsLatestMessages) {
  Follow(1, 2);
  Follow(2, 1);
  Follow(1, 3);
  Follow(3, 1);
  Follow(1, 4);  // not a friend: 4 does not follow back
  const Message to_two = Send(1, 2, "hi two");
  Send(4, 1, "not a friend's");

  auto own = service_->ListPeople({.owner = 1, .kind = RelationKind::kFriends, .viewer = 1});
  ASSERT_TRUE(own.ok()) << own.status().message;
  EXPECT_EQ(own->page.user_ids, (Ids{3, 2}));
  EXPECT_TRUE(own->with_messages);
  ASSERT_EQ(own->latest.size(), 1u);  // 3 and 1 never talked
  EXPECT_EQ(own->latest.at(2).id, to_two.id);

  for (std::int64_t viewer : {0, 2, 4}) {
    auto other =
        service_->ListPeople({.owner = 1, .kind = RelationKind::kFriends, .viewer = viewer});
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(other->page.user_ids, (Ids{3, 2}));
    EXPECT_FALSE(other->with_messages) << "viewer " << viewer;
    EXPECT_TRUE(other->latest.empty()) << "viewer " << viewer;
  }
  auto following =
      service_->ListPeople({.owner = 1, .kind = RelationKind::kFollowing, .viewer = 1});
  ASSERT_TRUE(following.ok());
  EXPECT_EQ(following->page.user_ids, (Ids{4, 3, 2}));
  EXPECT_FALSE(following->with_messages);
  EXPECT_TRUE(following->latest.empty());
}

TEST_F(RelationServiceTest, ListPeopleRefusesAnUnknownOwnerOnlyWhenAsked) {
  const std::int64_t unknown = FakeUserDirectory::kUsers + 1;
  auto lenient = service_->ListPeople({.owner = unknown, .kind = RelationKind::kFollowers});
  ASSERT_TRUE(lenient.ok());
  EXPECT_TRUE(lenient->page.user_ids.empty());

  auto strict = service_->ListPeople(
      {.owner = unknown, .kind = RelationKind::kFollowers, .owner_must_exist = true});
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.status().code, Code::kNotFound);
  EXPECT_EQ(strict.status().reason, "USER_NOT_FOUND");

  users_.down = true;  // cannot ask is not "no such user"
  auto down = service_->ListPeople({.owner = 1, .owner_must_exist = true});
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code, Code::kUnavailable);
}

TEST_F(RelationServiceTest, ChatWithANamedPeerRefusesOneThatDoesNotExist) {
  const std::int64_t unknown = FakeUserDirectory::kUsers + 1;
  ASSERT_TRUE(service_->SendMessage(1, 2, "hi").ok());
  auto known = service_->ChatWithKnownPeer(2, 1, 0, 0);
  ASSERT_TRUE(known.ok()) << known.status().message;
  EXPECT_EQ(known->size(), 1u);
  ASSERT_TRUE(service_->ChatWithKnownPeer(1, 3, 0, 0).ok());  // no messages yet: empty
  EXPECT_TRUE(service_->ChatWithKnownPeer(1, 3, 0, 0)->empty());

  const auto strict = service_->ChatWithKnownPeer(1, unknown, 0, 0);
  EXPECT_EQ(strict.status().code, Code::kNotFound);
  EXPECT_EQ(strict.status().reason, "USER_NOT_FOUND");
  EXPECT_TRUE(service_->Chat(1, unknown, 0, 0).empty());  // the Douyin chat does not ask

  users_.down = true;  // cannot ask is not "no such user"
  EXPECT_EQ(service_->ChatWithKnownPeer(2, 1, 0, 0).status().code, Code::kUnavailable);
}

// ---- blocks (issue 16) ----------------------------------------------------------------------

TEST_F(RelationServiceTest, BlockRemovesFollowsBothWaysWithExactCountersAndIsIdempotent) {
  Follow(1, 2);
  Follow(2, 1);
  Follow(3, 1);
  Follow(1, 3);
  EXPECT_TRUE(*service_->Block(1, 2));
  EXPECT_EQ(StatOf(1).follow_count, 1);  // 1 → 3 stays
  EXPECT_EQ(StatOf(1).follower_count, 1);
  EXPECT_EQ(StatOf(2).follow_count, 0);
  EXPECT_EQ(StatOf(2).follower_count, 0);
  EXPECT_FALSE(StatOf(2, 1).followed_by_viewer);
  EXPECT_EQ(service_->List(1, RelationKind::kFriends, 0, 0).user_ids, (Ids{3}));
  EXPECT_TRUE(service_->List(2, RelationKind::kFollowing, 0, 0).user_ids.empty());

  EXPECT_FALSE(*service_->Block(1, 2));  // twice: nothing moves
  EXPECT_EQ(StatOf(1).follow_count, 1);
  EXPECT_EQ(service_->ListBlocked(1, 0, 0).user_ids, (Ids{2}));
  EXPECT_TRUE(*service_->Unblock(1, 2));
  EXPECT_FALSE(*service_->Unblock(1, 2));
  EXPECT_EQ(StatOf(2).follower_count, 0);  // the follows do not come back
  EXPECT_TRUE(service_->ListBlocked(1, 0, 0).user_ids.empty());
}

TEST_F(RelationServiceTest, BlocksRefuseFollowsAndMessagesBothWaysUntilUnblocked) {
  ASSERT_TRUE(*service_->Block(1, 2));
  const auto expect_blocked = [](const Status& status, std::string_view says) {
    EXPECT_EQ(status.code, Code::kPermissionDenied);
    EXPECT_EQ(status.reason, "BLOCKED");
    EXPECT_EQ(status.message, says);
  };
  expect_blocked(service_->Follow(2, 1).status(), "this user has blocked you");
  expect_blocked(service_->SendMessage(2, 1, "hi").status(), "this user has blocked you");
  expect_blocked(service_->Follow(1, 2).status(), "you blocked this user; unblock them first");
  expect_blocked(service_->SendMessage(1, 2, "hi").status(),
                 "you blocked this user; unblock them first");
  EXPECT_EQ(StatOf(1).follower_count, 0);
  EXPECT_EQ(StatOf(2).follower_count, 0);
  EXPECT_TRUE(service_->Chat(1, 2, 0, 0).empty());
  // Others are not affected.
  EXPECT_TRUE(*service_->Follow(3, 1));
  EXPECT_TRUE(service_->SendMessage(3, 1, "hi").ok());

  ASSERT_TRUE(*service_->Unblock(1, 2));
  EXPECT_TRUE(*service_->Follow(2, 1));
  EXPECT_TRUE(service_->SendMessage(1, 2, "hi again").ok());
}

// The store checks the block inside the follow's transaction: a follow that passed the
// service's check before a block landed still cannot create a row under it.
TEST_F(RelationServiceTest, TheStoreRefusesAFollowUnderABlockEitherWay) {
  ASSERT_TRUE(*service_->Block(1, 2));
  EXPECT_FALSE(repo_->Follow(2, 1, NowMs()));
  EXPECT_FALSE(repo_->Follow(1, 2, NowMs()));
  EXPECT_EQ(StatOf(1).follower_count, 0);
  EXPECT_EQ(StatOf(2).follower_count, 0);
}

TEST_F(RelationServiceTest, BadBlocksAreRefusedAndChangeNothing) {
  Follow(1, 2);
  auto self = service_->Block(1, 1);
  EXPECT_EQ(self.status().code, Code::kInvalidArgument);
  EXPECT_EQ(self.status().reason, "CANNOT_BLOCK_SELF");
  EXPECT_EQ(service_->Unblock(1, 1).status().reason, "CANNOT_BLOCK_SELF");
  auto missing = service_->Block(1, 999);
  EXPECT_EQ(missing.status().code, Code::kNotFound);
  EXPECT_EQ(missing.status().reason, "USER_NOT_FOUND");
  EXPECT_EQ(service_->Unblock(1, 999).status().reason, "USER_NOT_FOUND");
  users_.down = true;
  EXPECT_EQ(service_->Block(1, 2).status().reason, "DEPENDENCY_TIMEOUT");
  users_.down = false;
  EXPECT_TRUE(service_->ListBlocked(1, 0, 0).user_ids.empty());
  EXPECT_EQ(StatOf(2).follower_count, 1);
}

TEST_F(RelationServiceTest, BlockedListsPageNewestFirstAndFilterListsAreBounded) {
  for (std::int64_t id = 2; id <= 8; ++id) ASSERT_TRUE(*service_->Block(1, id));
  Ids walked;
  std::int64_t cursor = 0;
  for (int pages = 0; pages < 10; ++pages) {
    const RelationPage page = service_->ListBlocked(1, cursor, 3);
    walked.insert(walked.end(), page.user_ids.begin(), page.user_ids.end());
    cursor = page.next_cursor;
    if (cursor == 0) break;
  }
  EXPECT_EQ(walked, (Ids{8, 7, 6, 5, 4, 3, 2}));
  EXPECT_EQ(service_->BlockedIds(1, 0), walked);
  EXPECT_EQ(service_->BlockedIds(1, 2), (Ids{8, 7}));
  EXPECT_TRUE(service_->BlockedIds(2, 0).empty());

  // BlockedBy: which of the asked users blocked the actor.
  ASSERT_TRUE(*service_->Block(9, 2));
  const Ids asked = {1, 9, 10};
  Ids blockers = service_->BlockedBy(2, asked);
  std::sort(blockers.begin(), blockers.end());
  EXPECT_EQ(blockers, (Ids{1, 9}));
  EXPECT_TRUE(service_->BlockedBy(1, asked).empty());
  EXPECT_TRUE(service_->BlockedBy(2, {}).empty());
}

}  // namespace
}  // namespace reel::relation
