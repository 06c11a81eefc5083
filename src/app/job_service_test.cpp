// The job module as `reel all` hosts it: the counters reconciler finds a counter that
// drifted from its rows (a manual edit here) and repairs it through the service's API, so
// readers see the true value again without a restart.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "app/all_in_one.hpp"
#include "kit/auth/password_hasher.hpp"
#include "kit/db/sqlite.hpp"
#include "relation/api/relation_client.hpp"
#include "user/api/user_client.hpp"

namespace reel::app {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class JobServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { auth::InitCrypto(); }
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("reel_job_service_" + std::to_string(getpid()));
    fs::remove_all(root_);
    config_.data_dir = (root_ / "data").string();
    config_.http.spool_dir = (root_ / "tmp").string();
    config_.auth.jwt_secret = std::string(32, 's');
    config_.auth.argon2 = {.ops = 1, .memory_kib = 8 * 1024};
    config_.job.reconcile_interval = 100ms;
  }
  void TearDown() override { fs::remove_all(root_); }

  std::int64_t Register(AllInOne& all, const std::string& name) {
    user::v1::RegisterRequest request;
    request.set_username(name);
    request.set_password("secret1");
    auto reply = all.clients().users->Register(request);
    EXPECT_TRUE(reply.ok()) << reply.status().message;
    return reply.ok() ? reply->user_id() : 0;
  }
  static std::int64_t FollowersOf(AllInOne& all, std::int64_t user) {
    relation::v1::RelationStatsRequest request;
    request.add_user_ids(user);
    auto reply = all.clients().relations->Stats(request);
    return reply.ok() ? reply->stats().at(user).follower_count() : -1;
  }

  fs::path root_;
  AppConfig config_;
};

TEST_F(JobServiceTest, TheReconcilerRepairsACounterThatDriftedFromItsRows) {
  AllInOne all(config_);
  const std::int64_t ann = Register(all, "ann");
  const std::int64_t ben = Register(all, "ben");
  relation::v1::FollowRequest follow;
  follow.set_user_id(ben);
  follow.set_to_user_id(ann);
  ASSERT_TRUE(all.clients().relations->Follow(follow).ok());
  ASSERT_EQ(FollowersOf(all, ann), 1);

  // Someone edits the counter by hand; the row says 7 until the reconciler sets it back.
  db::SqliteDb db(db::SqliteOptions{(fs::path(config_.data_dir) / "reel.db").string()});
  const auto stored = [&] {
    return db.Read([&](db::Connection& conn) {
      auto row = conn.Prepare("SELECT follower_count FROM follow_counts WHERE user_id = ?");
      row.BindAll(ann);
      return row.Step() ? row.Int(0) : std::int64_t{-1};
    });
  };
  db.Write([&](db::Connection& conn) {
    conn.Prepare("UPDATE follow_counts SET follower_count = 7 WHERE user_id = ?")
        .BindAll(ann)
        .Run();
  });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (stored() != 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(stored(), 1) << "the reconciler did not repair the row";
  EXPECT_EQ(FollowersOf(all, ann), 1) << "readers still see the drifted value";
}

}  // namespace
}  // namespace reel::app
