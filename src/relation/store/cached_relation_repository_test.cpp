#include "relation/store/cached_relation_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "kit/db/testing/test_database.hpp"
#include "relation/store/relation_migrations.hpp"
#include "relation/store/sql_relation_repository.hpp"

namespace reel::relation {
namespace {

class CachedRelationRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_cached_relation");
    test_db_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "relation",
                                                           RelationMigrations());
    db_ = &test_db_->db();
    store_ = std::make_unique<SqlRelationRepository>(*db_);
    cached_ = std::make_unique<CachedRelationRepository>(*store_, 1000);
  }
  void TearDown() override {
    cached_.reset();
    store_.reset();
    test_db_.reset();
    std::filesystem::remove_all(dir_);
  }

  FollowStat Stat(std::int64_t user) {
    const std::int64_t ids[] = {user};
    auto counts = cached_->Counts(ids);
    return counts.contains(user) ? counts.at(user) : FollowStat{};
  }
  // Changes a counter behind the cache's back, as no real writer may.
  void DamageFollowerCount(std::int64_t user, std::int64_t count) {
    db_->Write([&](db::Connection& conn) {
      conn.Prepare("UPDATE follow_counts SET follower_count = ? WHERE user_id = ?")
          .BindAll(count, user)
          .Run();
    });
  }
  // Counts per user straight from the follows table: the ground truth for the counters.
  std::map<std::int64_t, std::int64_t> CountRows(const std::string& column) {
    return db_->Read([&](db::Connection& conn) {
      std::map<std::int64_t, std::int64_t> counts;
      auto rows = conn.Prepare("SELECT " + column + ", COUNT(*) FROM follows GROUP BY " + column);
      while (rows.Step()) counts[rows.Int(0)] = rows.Int(1);
      return counts;
    });
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> test_db_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlRelationRepository> store_;
  std::unique_ptr<CachedRelationRepository> cached_;
};

TEST_P(CachedRelationRepositoryTest, CountersAreServedFromMemoryOnceRead) {
  ASSERT_TRUE(cached_->Follow(1, 2, 10));
  EXPECT_EQ(Stat(2).follower_count, 1);
  DamageFollowerCount(2, 50);
  EXPECT_EQ(Stat(2).follower_count, 1) << "the second read came from the cache, not the store";
  const std::int64_t ids[] = {2};
  EXPECT_EQ(store_->Counts(ids).at(2).follower_count, 50);
}

TEST_P(CachedRelationRepositoryTest, FollowAndUnfollowMoveBothUsersCachedCounters) {
  // Fill the cache, absent entries included (nobody has counters yet).
  const std::int64_t ids[] = {1, 2, 3};
  EXPECT_TRUE(cached_->Counts(ids).empty());
  ASSERT_TRUE(cached_->Follow(3, 1, 5));  // 3 is a bystander for the checks below
  ASSERT_EQ(Stat(1).follower_count, 1);
  DamageFollowerCount(1, 40);  // the cache still says 1; a reload will say 40

  ASSERT_TRUE(cached_->Follow(1, 2, 10));
  EXPECT_EQ(Stat(1).follow_count, 1);
  EXPECT_EQ(Stat(1).follower_count, 40) << "the follower's counters were reloaded";
  EXPECT_EQ(Stat(2).follower_count, 1);
  EXPECT_EQ(Stat(2).follow_count, 0);
  EXPECT_EQ(Stat(3).follow_count, 1);

  DamageFollowerCount(2, 70);
  EXPECT_FALSE(cached_->Follow(1, 2, 11)) << "a repeat changes nothing";
  EXPECT_EQ(Stat(2).follower_count, 1) << "and invalidates nothing";

  DamageFollowerCount(2, 1);
  ASSERT_TRUE(cached_->Unfollow(1, 2));
  EXPECT_EQ(Stat(1).follow_count, 0);
  EXPECT_EQ(Stat(2).follower_count, 0);
  EXPECT_FALSE(cached_->Unfollow(1, 2));
  EXPECT_EQ(Stat(2).follower_count, 0);

  const auto counts = cached_->Counts(ids);
  EXPECT_EQ(counts.at(3).follow_count, 1);
  EXPECT_EQ(counts.at(1).follower_count, 40);
}

TEST_P(CachedRelationRepositoryTest, ReadsSeeEveryWrite) {
  ASSERT_TRUE(cached_->Follow(1, 2, 10));
  ASSERT_TRUE(cached_->Follow(2, 1, 11));
  ASSERT_EQ(cached_->List(1, RelationKind::kFriends, 0, 10).size(), 1u);
  const std::int64_t peers[] = {2, 3};
  EXPECT_EQ(cached_->FollowedBy(1, peers), std::vector<std::int64_t>{2});
  ASSERT_TRUE(cached_->Unfollow(1, 2));
  EXPECT_TRUE(cached_->List(1, RelationKind::kFriends, 0, 10).empty());
  EXPECT_TRUE(cached_->FollowedBy(1, peers).empty());
  // "Whom does 1 follow" is served from memory: a follow stored behind the cache's back is
  // not seen, and one made through the cache is.
  ASSERT_TRUE(store_->Follow(1, 3, 12));
  EXPECT_TRUE(cached_->FollowedBy(1, peers).empty());
  ASSERT_TRUE(cached_->Follow(1, 2, 13));
  EXPECT_EQ(cached_->FollowedBy(1, peers), std::vector<std::int64_t>{2});

  const Message sent = cached_->CreateMessage(NewMessage{1, 2, "hi", 100});
  EXPECT_EQ(cached_->Chat(2, 1, 0, 10).size(), 1u);
  EXPECT_EQ(cached_->Latest(2, std::vector<std::int64_t>{1}).at(1).id, sent.id);
}

TEST_P(CachedRelationRepositoryTest, ConcurrentWritersAndReadersLeaveNoStaleCounter) {
  // Four writers follow and unfollow at random while two readers keep filling the cache; at
  // the end every counter read through the cache equals a count over the rows.
  constexpr int kUsers = 8;
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      std::vector<std::int64_t> all;
      for (std::int64_t id = 1; id <= kUsers + 2; ++id) all.push_back(id);
      while (!stop) {
        cached_->Counts(all);
        for (std::int64_t viewer = 1; viewer <= kUsers; ++viewer) cached_->FollowedBy(viewer, all);
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(w);
      for (int i = 0; i < 300; ++i) {
        const std::int64_t a = 1 + rng() % kUsers, b = 1 + rng() % kUsers;
        if (a == b) continue;
        if (rng() % 2) {
          cached_->Follow(a, b, i);
        } else {
          cached_->Unfollow(a, b);
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  for (auto& t : readers) t.join();

  const auto following = CountRows("follower_id"), followers = CountRows("followee_id");
  for (std::int64_t u = 1; u <= kUsers + 2; ++u) {
    const FollowStat stat = Stat(u);
    EXPECT_EQ(stat.follow_count, following.contains(u) ? following.at(u) : 0) << "user " << u;
    EXPECT_EQ(stat.follower_count, followers.contains(u) ? followers.at(u) : 0) << "user " << u;
  }
  std::vector<std::int64_t> all;
  for (std::int64_t id = 1; id <= kUsers; ++id) all.push_back(id);
  for (std::int64_t viewer = 1; viewer <= kUsers; ++viewer) {
    auto cached = cached_->FollowedBy(viewer, all), stored = store_->FollowedBy(viewer, all);
    std::sort(cached.begin(), cached.end());
    std::sort(stored.begin(), stored.end());
    EXPECT_EQ(cached, stored) << "viewer " << viewer;
  }
}

// A block removes follows both ways behind the counters the cache holds: both users'
// counters and both pairs' "follows" must be read afresh.
TEST_P(CachedRelationRepositoryTest, ABlockInvalidatesBothUsersCountersAndBothPairs) {
  ASSERT_TRUE(cached_->Follow(1, 2, 1));
  ASSERT_TRUE(cached_->Follow(2, 1, 2));
  EXPECT_EQ(Stat(1).follower_count, 1);  // cached now
  EXPECT_EQ(Stat(2).follower_count, 1);
  const std::int64_t two[] = {2};
  const std::int64_t one[] = {1};
  EXPECT_EQ(cached_->FollowedBy(1, two).size(), 1u);
  EXPECT_EQ(cached_->FollowedBy(2, one).size(), 1u);

  ASSERT_TRUE(cached_->Block(1, 2, 3));
  EXPECT_EQ(Stat(1).follow_count, 0);
  EXPECT_EQ(Stat(1).follower_count, 0);
  EXPECT_EQ(Stat(2).follow_count, 0);
  EXPECT_EQ(Stat(2).follower_count, 0);
  EXPECT_TRUE(cached_->FollowedBy(1, two).empty());
  EXPECT_TRUE(cached_->FollowedBy(2, one).empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, CachedRelationRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::relation
