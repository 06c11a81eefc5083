// Two replicas of every service on one MariaDB primary and replica, behind the nginx edge
// (scripts/cluster --engines-from ... --replicas 2): what a write did through one replica is
// what the next read sees through the other, a replica that dies costs nothing, and engine
// faults degrade as docs/architecture.md says (replica gone: reads from the primary; primary
// gone: writes 503, reads go on; primary back: writes again, nothing restarted). Only in the
// e2e-engines run (`ctest -L e2e-engines`); skipped elsewhere.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "api_helpers.hpp"
#include "interactions_fixture.hpp"
#include "own_engines_fixture.hpp"

namespace reel::e2e {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Each read-your-writes round: a write, then reads; the edge alternates replicas, so with
// this many rounds every write is read through both replicas many times.
constexpr int kRounds = 8;
constexpr int kReadsPerWrite = 4;

class ClusterReplicasTest : public InteractionTest {
 protected:
  void SetUp() override {
    if (!EnginesMode() || ClusterReplicas() < 2) {
      GTEST_SKIP() << "engines test: runs in the e2e-engines run (E2E_CLUSTER_ARGS with "
                      "--engines-from and --replicas 2)";
    }
    InteractionTest::SetUp();
  }

  void ClusterCommand(const std::vector<std::string>& args) {
    const ProcessResult run = Server().RunClusterScript(args);
    ASSERT_EQ(run.exit_code, 0) << run.out;
  }
};

TEST_F(ClusterReplicasTest, AFollowIsSeenThroughEveryReplicaAtOnce) {
  const DouyinSession ann = NewUser("ann_rr");
  const DouyinSession ben = NewUser("ben_rr");
  for (int round = 0; round < kRounds; ++round) {
    ASSERT_TRUE(IsOk(Follow(Client(), ann, ben.user_id))) << "round " << round;
    for (int read = 0; read < kReadsPerWrite; ++read) {
      EXPECT_EQ(IdsIn(RelationList(Client(), "follow", ann.user_id, ann.token), "user_list"),
                std::vector<std::int64_t>{ben.user_id})
          << "round " << round << ", read " << read;
    }
    ASSERT_TRUE(IsOk(Unfollow(Client(), ann, ben.user_id))) << "round " << round;
    for (int read = 0; read < kReadsPerWrite; ++read) {
      EXPECT_TRUE(
          IdsIn(RelationList(Client(), "follow", ann.user_id, ann.token), "user_list").empty())
          << "round " << round << ", read " << read;
    }
  }
}

TEST_F(ClusterReplicasTest, ALikeIsSeenOnReloadThroughEveryReplica) {
  const DouyinSession author = NewUser("author_rr");
  const DouyinSession fan = NewUser("fan_rr");
  const std::int64_t video = PublishVideo(author, "liked across replicas");
  ASSERT_NE(video, 0);
  for (int round = 0; round < kRounds; ++round) {
    ASSERT_TRUE(IsOk(Like(Client(), fan, video))) << "round " << round;
    for (int read = 0; read < kReadsPerWrite; ++read) {
      EXPECT_EQ(IdsIn(FavoriteList(Client(), fan.user_id, fan.token), "video_list"),
                std::vector<std::int64_t>{video})
          << "round " << round << ", read " << read;
      EXPECT_EQ(VideoCountsOf(video, fan.token).favorite_count, 1) << "round " << round;
    }
    ASSERT_TRUE(IsOk(Unlike(Client(), fan, video))) << "round " << round;
    for (int read = 0; read < kReadsPerWrite; ++read) {
      EXPECT_TRUE(IdsIn(FavoriteList(Client(), fan.user_id, fan.token), "video_list").empty())
          << "round " << round << ", read " << read;
      EXPECT_EQ(VideoCountsOf(video, fan.token).favorite_count, 0) << "round " << round;
    }
  }
}

// The video published through one video replica is in the other's search index too: the
// event reached every instance (each keeps its own index, fed by a consumer group of its
// own, a moment after the publish answers).
TEST_F(ClusterReplicasTest, EveryVideoReplicaSearchesANewVideo) {
  const DouyinSession author = NewUser("author_search");
  const std::int64_t video = PublishVideo(author, "zebracrossing replicated");
  ASSERT_NE(video, 0);
  ASSERT_TRUE(Server().WaitForEvents());
  for (int read = 0; read < 2 * kReadsPerWrite; ++read) {
    const HttpResponse found = Client().Get("/api/search?q=zebracrossing&type=video");
    ASSERT_EQ(found.status, 200) << found.Describe();
    EXPECT_EQ(ApiIds(found.Json(), "videos"), std::vector<std::int64_t>{video})
        << "read " << read << " (the edge alternates the two video replicas)";
  }
}

TEST_F(ClusterReplicasTest, AKilledReplicaCostsNoRequest) {
  const DouyinSession author = NewUser("author_kill");
  ClusterCommand({"kill", "user.1"});
  ClusterCommand({"kill", "video.2"});
  ClusterCommand({"kill", "relation.1"});
  for (int i = 0; i < 2 * kReadsPerWrite; ++i) {
    EXPECT_TRUE(IsOk(UserInfo(Client(), author.user_id, author.token))) << i;
    EXPECT_TRUE(IsOk(FeedPage(Client(), author.token))) << i;
  }
  // Writes too: a registration, a follow, a publish, each through the replica left.
  const DouyinSession fan = NewUser("fan_kill");
  EXPECT_TRUE(IsOk(Follow(Client(), fan, author.user_id)));
  EXPECT_NE(PublishVideo(author, "published while video.2 is down"), 0);
  // And the replica that comes back serves again (the edge never marks one down).
  ClusterCommand({"restart", "user.1"});
  for (int i = 0; i < 2 * kReadsPerWrite; ++i) {
    EXPECT_TRUE(IsOk(UserInfo(Client(), fan.user_id, fan.token))) << i;
  }
}

// ---- engine faults: engines of its own, since stopping the shared ones would fail the
// other tests of the run ----------------------------------------------------------------------

ProcessResult Engines(const std::vector<std::string>& args) {
  return Engine("mariadb", args);
}

class ClusterEngineFaultsTest : public OwnEnginesClusterTest {
 protected:
  // Polls `write` until it succeeds or `limit` passes.
  static bool EventuallyOk(const std::function<Reply()>& write, milliseconds limit) {
    return Eventually([&] { return static_cast<bool>(IsOk(write())); }, limit);
  }
};

TEST_F(ClusterEngineFaultsTest, ReplicaGoneReadsGoOnPrimaryGoneWritesRefusedThenBack) {
  const DouyinSession ann = NewUser("ann_faults");
  const DouyinSession ben = NewUser("ben_faults");
  ASSERT_TRUE(IsOk(Follow(Client(), ann, ben.user_id)));

  // The replica MariaDB dies: reads go to the primary, writes still work.
  ASSERT_EQ(Engines({"kill", replica_}).exit_code, 0);
  for (int i = 0; i < 2 * kReadsPerWrite; ++i) {
    EXPECT_EQ(IdsIn(RelationList(Client(), "follow", ann.user_id, ann.token), "user_list"),
              std::vector<std::int64_t>{ben.user_id})
        << "read " << i << " with the replica down";
    EXPECT_TRUE(IsOk(UserInfo(Client(), ben.user_id, ann.token))) << i;
  }
  EXPECT_TRUE(IsOk(Unfollow(Client(), ann, ben.user_id)));
  EXPECT_TRUE(IsOk(Follow(Client(), ann, ben.user_id)));

  // The replica comes back (and catches up); then the primary stops: writes are refused
  // with a clear 503, reads still answer from the replica.
  ASSERT_EQ(Engines({"start", replica_, "--replica-of", primary_}).exit_code, 0);
  ASSERT_EQ(Engines({"stop", primary_}).exit_code, 0);
  const Reply refused = Unfollow(Client(), ann, ben.user_id);
  EXPECT_TRUE(IsRefused(refused, 503)) << refused.Describe();
  for (int i = 0; i < 2 * kReadsPerWrite; ++i) {
    const Reply read = RelationList(Client(), "follow", ann.user_id, ann.token);
    EXPECT_TRUE(IsOk(read)) << "read " << i << " with the primary down: " << read.Describe();
    EXPECT_EQ(IdsIn(read, "user_list"), std::vector<std::int64_t>{ben.user_id});
  }

  // The primary returns: writes succeed again without restarting any service.
  ASSERT_EQ(Engines({"start", primary_}).exit_code, 0);
  EXPECT_TRUE(EventuallyOk([&] { return Unfollow(Client(), ann, ben.user_id); }, seconds(30)));
  EXPECT_TRUE(IdsIn(RelationList(Client(), "follow", ann.user_id, ann.token), "user_list").empty());
}

// Redis killed under load: every request still answers (the caches read the database), what
// is written meanwhile is read back through every replica, and once Redis is back (same
// port, empty) the caches serve again without serving anything that changed meanwhile.
TEST_F(ClusterEngineFaultsTest, RedisKilledUnderLoadCostsNoRequestAndLeavesNothingStale) {
  const DouyinSession author = NewUser("author_redis");
  const DouyinSession fan = NewUser("fan_redis");
  const std::int64_t video = PublishVideo(author, "liked while redis dies");
  ASSERT_NE(video, 0);
  for (int read = 0; read < 2 * kReadsPerWrite; ++read) {  // warm both replicas' caches
    EXPECT_EQ(VideoCountsOf(video, fan.token).favorite_count, 0);
  }

  std::atomic<bool> stop{false};
  std::atomic<int> requests{0};
  std::atomic<int> failures{0};
  std::string first_failure;
  std::thread load([&] {
    HttpClient client(Server().Port());
    for (int i = 0; i < 20'000 && !stop.load(); ++i) {
      const Reply reply =
          i % 2 == 0 ? UserInfo(client, author.user_id, fan.token) : FeedPage(client, fan.token);
      ++requests;
      if (!IsOk(reply) && failures++ == 0) first_failure = reply.Describe();
    }
  });
  std::this_thread::sleep_for(milliseconds(300));
  ASSERT_EQ(Engine("redis", {"kill", redis_}).exit_code, 0);

  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(IsOk(Like(Client(), fan, video))) << "round " << round;
    for (int read = 0; read < kReadsPerWrite; ++read) {
      EXPECT_EQ(VideoCountsOf(video, fan.token).favorite_count, 1) << "round " << round;
    }
    ASSERT_TRUE(IsOk(Unlike(Client(), fan, video))) << "round " << round;
    for (int read = 0; read < kReadsPerWrite; ++read) {
      EXPECT_EQ(VideoCountsOf(video, fan.token).favorite_count, 0) << "round " << round;
    }
  }
  ASSERT_TRUE(IsOk(Like(Client(), fan, video)));  // liked while Redis is away

  ASSERT_EQ(Engine("redis", {"start", redis_, "--durable"}).exit_code, 0);
  std::this_thread::sleep_for(seconds(2));  // every process resubscribes (backoff ≤ 2 s)
  for (int read = 0; read < 2 * kReadsPerWrite; ++read) {
    EXPECT_EQ(VideoCountsOf(video, fan.token).favorite_count, 1) << "read " << read;
  }
  ASSERT_TRUE(IsOk(Unlike(Client(), fan, video)));
  for (int read = 0; read < 2 * kReadsPerWrite; ++read) {
    EXPECT_EQ(VideoCountsOf(video, fan.token).favorite_count, 0) << "read " << read;
  }
  stop = true;
  load.join();
  EXPECT_EQ(failures.load(), 0) << "of " << requests.load() << "; first: " << first_failure;
  EXPECT_GT(requests.load(), 20);
}

}  // namespace
}  // namespace reel::e2e
