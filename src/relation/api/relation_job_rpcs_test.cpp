// The relation RPC the job service calls, through RelationRpc down to the cached SQL store on
// every engine: ReconcileCounters repairs follow counters drifted by SQL, reports each
// counter's repairs, and is seen through the cache; a second run fixes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kit/clock/clock.hpp"
#include "kit/db/testing/test_database.hpp"
#include "relation/api/relation_rpc.hpp"
#include "relation/store/cached_relation_repository.hpp"
#include "relation/store/relation_migrations.hpp"
#include "relation/store/sql_relation_repository.hpp"

namespace reel::relation {
namespace {

// The reconciler does not ask it; the service needs one to be built.
class EveryUser final : public UserDirectory {
 public:
  Result<bool> Exists(std::int64_t) override { return true; }
};

class RelationJobRpcsTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_relation_job_rpcs");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "relation",
                                                            RelationMigrations());
    store_ = std::make_unique<SqlRelationRepository>(database_->db());
    cached_ = std::make_unique<CachedRelationRepository>(*store_, 100);
    service_ = std::make_unique<RelationService>(*cached_, users_, clock_);
    rpc_ = std::make_unique<RelationRpc>(*service_);
  }
  void TearDown() override {
    rpc_.reset();
    service_.reset();
    cached_.reset();
    store_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Sql(const std::string& sql) {
    database_->db().Write([&](db::Connection& conn) { conn.Prepare(sql).Run(); });
  }
  // {follow_count, follower_count} through the cache, as callers read them; absent: {0, 0}.
  std::vector<std::int64_t> CountsOf(std::int64_t user) {
    const std::int64_t ids[] = {user};
    auto counts = cached_->Counts(ids);
    if (!counts.contains(user)) return {0, 0};
    return {counts.at(user).follow_count, counts.at(user).follower_count};
  }
  // "counter=rows_fixed" per repair, in the reply's order.
  std::vector<std::string> Reconcile() {
    auto reply = rpc_->ReconcileCounters(v1::ReconcileCountersRequest());
    EXPECT_TRUE(reply.ok());
    std::vector<std::string> out;
    if (!reply.ok()) return out;
    for (const auto& repair : reply->repairs()) {
      out.push_back(repair.counter() + "=" + std::to_string(repair.rows_fixed()));
    }
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  std::unique_ptr<SqlRelationRepository> store_;
  std::unique_ptr<CachedRelationRepository> cached_;
  EveryUser users_;
  ManualClock clock_;
  std::unique_ptr<RelationService> service_;
  std::unique_ptr<RelationRpc> rpc_;
};

TEST_P(RelationJobRpcsTest, ReconcileRepairsExactlyTheDriftedCountersAndReportsThem) {
  const std::vector<std::string> clean = {"follow_counts.follow_count=0",
                                          "follow_counts.follower_count=0"};
  // 1 follows 2 and 3; 2 follows 3; 4 follows 3.
  ASSERT_TRUE(cached_->Follow(1, 2, 1));
  ASSERT_TRUE(cached_->Follow(1, 3, 2));
  ASSERT_TRUE(cached_->Follow(2, 3, 3));
  ASSERT_TRUE(cached_->Follow(4, 3, 4));
  EXPECT_EQ(Reconcile(), clean);

  // Too high, too low, a missing row, a row whose follows are all gone.
  Sql("UPDATE follow_counts SET follow_count = 9 WHERE user_id = 1");
  Sql("UPDATE follow_counts SET follower_count = 1 WHERE user_id = 3");
  Sql("DELETE FROM follow_counts WHERE user_id = 4");
  Sql("INSERT INTO follow_counts (user_id, follow_count, follower_count) VALUES (77, 5, 6)");
  ASSERT_EQ(CountsOf(1), (std::vector<std::int64_t>{9, 0}));  // cached now
  ASSERT_EQ(CountsOf(3), (std::vector<std::int64_t>{0, 1}));

  EXPECT_EQ(Reconcile(), (std::vector<std::string>{
                             "follow_counts.follow_count=3",    // 1, 4 (created), 77
                             "follow_counts.follower_count=2",  // 3, 77
                         }));
  EXPECT_EQ(CountsOf(1), (std::vector<std::int64_t>{2, 0}));
  EXPECT_EQ(CountsOf(2), (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(CountsOf(3), (std::vector<std::int64_t>{0, 3}));
  EXPECT_EQ(CountsOf(4), (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(CountsOf(77), (std::vector<std::int64_t>{0, 0}));
  EXPECT_EQ(Reconcile(), clean);

  // The store's own moves go on from the repaired values.
  ASSERT_TRUE(cached_->Unfollow(4, 3));
  EXPECT_EQ(CountsOf(3), (std::vector<std::int64_t>{0, 2}));
  EXPECT_EQ(Reconcile(), clean);
}

TEST_P(RelationJobRpcsTest, ReconcileCreatesBothColumnsOfAMissingRow) {
  ASSERT_TRUE(cached_->Follow(5, 6, 1));
  ASSERT_TRUE(cached_->Follow(6, 5, 2));
  Sql("DELETE FROM follow_counts");
  EXPECT_EQ(Reconcile(), (std::vector<std::string>{"follow_counts.follow_count=2",
                                                   "follow_counts.follower_count=2"}));
  EXPECT_EQ(CountsOf(5), (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(CountsOf(6), (std::vector<std::int64_t>{1, 1}));
}

INSTANTIATE_TEST_SUITE_P(Engines, RelationJobRpcsTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::relation
