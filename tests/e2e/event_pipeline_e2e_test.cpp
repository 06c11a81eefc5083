// The event pipeline under faults (issue 20), on a cluster with two replicas of every
// service and engines of its own: a service killed between its commits and their
// publication, the job service killed mid-batch, and redis-server killed, each under writes.
// After recovery every acknowledged write's effect (search, the cascade of a deleted video)
// is there within 5 seconds and nothing was applied twice; an event a consumer keeps
// refusing is parked as a dead letter while the others flow on, and a replay applies it
// once. Only in the e2e-engines run.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "own_engines_fixture.hpp"

namespace reel::e2e {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Ids = std::vector<std::int64_t>;

// What "within 5 seconds" is measured against, from the moment everything runs again.
constexpr milliseconds kSettle{5000};

class EventPipelineTest : public OwnEnginesClusterTest {
 protected:
  // The users a search by `name` finds.
  Ids UsersFound(const std::string& name) {
    return ReplyIds(GetApi("/api/search", {{"q", name}, {"type", "user"}}, {}), "users");
  }
  // Whether every user in `users` (name, id) is found by its name, exactly once, through
  // every video replica (the edge alternates them, so each name is asked once per replica).
  bool AllFindable(const std::vector<std::pair<std::string, std::int64_t>>& users) {
    for (const auto& [name, id] : users) {
      for (int replica = 0; replica < ClusterReplicas(); ++replica) {
        if (UsersFound(name) != Ids{id}) return false;
      }
    }
    return true;
  }
  std::int64_t FavoriteCount(std::int64_t user) {
    return JsonInt(ApiUser(user), "favorite_count").value_or(-1);
  }
  void Like(const ApiSession& who, std::int64_t video) {
    ASSERT_TRUE(
        IsApiOk(PostApi("/api/favorite/action", VideoActionJson(video, "like"), who.access_token)));
  }
  // The first refused registration, for the messages.
  std::string refusal_;

  ApiReply DeleteVideo(const ApiSession& author, std::int64_t video) {
    return DeleteApi("/api/video/" + std::to_string(video), author.access_token);
  }

  // Registers users named `<prefix><i>` on a thread of its own until `stop` or `max`; keeps
  // those the server acknowledged.
  void RegisterUntil(const std::string& prefix, int max, const std::atomic<bool>& stop,
                     std::vector<std::pair<std::string, std::int64_t>>& acknowledged) {
    HttpClient client(Server().Port());
    for (int i = 0; i < max && !stop.load(); ++i) {
      const std::string name = prefix + std::to_string(i);
      const HttpResponse r = client.PostJson(
          "/api/user/register", R"({"username":")" + name + R"(","password":"pass-word-1"})");
      if (r.status != 200) {  // refused: not acknowledged, nothing to find
        if (refusal_.empty()) refusal_ = r.Describe();
        continue;
      }
      const auto id = JsonInt(r.Json(), "user_id");
      if (id) acknowledged.emplace_back(name, *id);
    }
  }
};

// The user service commits registrations while the bus is away (their events wait in its
// outbox), then dies with kill -9 before it could publish them: its next start publishes
// them, and search finds every acknowledged user, each once.
TEST_F(EventPipelineTest, AServiceKilledBetweenCommitAndPublishLosesNoEvent) {
  ASSERT_EQ(Engine("redis", {"stop", redis_}).exit_code, 0);
  std::vector<std::pair<std::string, std::int64_t>> users;
  std::atomic<bool> never{false};
  RegisterUntil("outboxed_", 12, never, users);
  ASSERT_EQ(users.size(), 12u) << "registrations commit while the bus is down; " << refusal_;
  ClusterCommand({"kill", "user"});  // every replica, with its unpublished events
  ASSERT_EQ(Engine("redis", {"start", redis_, "--durable"}).exit_code, 0);
  ClusterCommand({"restart", "user"});
  EXPECT_TRUE(Eventually([&] { return AllFindable(users); }, kSettle))
      << "a registration committed before the kill is not findable";
}

// kill -9 of every job process while videos are being deleted: the cascades it had not
// done are done after it restarts, once each (the kept video's likes still count one).
TEST_F(EventPipelineTest, TheJobKilledMidBatchLeavesEveryCascadeDoneOnce) {
  const ApiSession author = NewApiUser("author_job");
  const ApiSession fan = NewApiUser("fan_job");
  Ids doomed;
  for (int i = 0; i < 8; ++i) doomed.push_back(PublishVideo(AsDouyin(author), "doomed"));
  const std::int64_t kept = PublishVideo(AsDouyin(author), "kept");
  for (std::int64_t video : doomed) Like(fan, video);
  Like(fan, kept);
  ASSERT_EQ(FavoriteCount(fan.user_id), 9);

  for (std::size_t i = 0; i < doomed.size(); ++i) {
    if (i == doomed.size() / 2) ClusterCommand({"kill", "job"});
    ASSERT_TRUE(IsApiOk(DeleteVideo(author, doomed[i]))) << "video " << doomed[i];
  }
  ClusterCommand({"restart", "job"});
  EXPECT_TRUE(Eventually([&] { return FavoriteCount(fan.user_id) == 1; }, kSettle))
      << "favorite_count " << FavoriteCount(fan.user_id);
  EXPECT_EQ(ReplyIds(GetApi("/api/favorite/videos", {}, fan.access_token), "videos"), Ids{kept});
  EXPECT_EQ(JsonInt(ApiUser(author.user_id), "total_favorited"), 1);
}

// redis-server killed (kill -9) and restarted while users register: every acknowledged
// registration is findable within 5 s of Redis being back, each once.
TEST_F(EventPipelineTest, RedisKilledUnderWritesLosesNoAcknowledgedEvent) {
  std::vector<std::pair<std::string, std::int64_t>> users;
  std::atomic<bool> stop{false};
  std::thread writer([&] { RegisterUntil("through_kill_", 400, stop, users); });
  std::this_thread::sleep_for(milliseconds(500));
  ASSERT_EQ(Engine("redis", {"kill", redis_}).exit_code, 0);
  std::this_thread::sleep_for(milliseconds(700));
  ASSERT_EQ(Engine("redis", {"start", redis_, "--durable"}).exit_code, 0);
  std::this_thread::sleep_for(milliseconds(500));
  stop = true;
  writer.join();
  ASSERT_GT(users.size(), 5u) << refusal_;
  EXPECT_TRUE(Eventually([&] { return AllFindable(users); }, kSettle))
      << "of " << users.size() << " acknowledged registrations, some are not findable";
}

// A search replica whose index is gone (a new replica, or a disk replaced) builds it from the
// stores at start while users keep registering, then follows the bus: every user, from
// before, during and after its start, is found through both video replicas, each once.
TEST_F(EventPipelineTest, ARebuiltSearchReplicaMissesNothingWrittenAroundItsStart) {
  std::vector<std::pair<std::string, std::int64_t>> users;
  std::atomic<bool> never{false};
  RegisterUntil("before_", 5, never, users);
  ClusterCommand({"kill", "video.2"});
  std::filesystem::remove_all(Server().DataDir() / "video.2" / "search");
  std::atomic<bool> stop{false};
  std::vector<std::pair<std::string, std::int64_t>> around;
  std::thread writer([&] { RegisterUntil("around_", 200, stop, around); });
  ClusterCommand({"restart", "video.2"});
  stop = true;
  writer.join();
  RegisterUntil("after_", 5, never, users);
  users.insert(users.end(), around.begin(), around.end());
  ASSERT_GT(users.size(), 10u) << refusal_;
  EXPECT_TRUE(Eventually([&] { return AllFindable(users); }, kSettle))
      << "of " << users.size() << " users, a replica does not find some";
}

// The job's cascade fails on one event (the favorite service is down): after its attempts
// it is a dead letter, later events still flow, and a replay once the favorite service is
// back applies it once.
TEST_F(EventPipelineTest, AnEventThatKeepsFailingIsParkedAndAReplayAppliesItOnce) {
  const ApiSession author = NewApiUser("author_dlq");
  const ApiSession fan = NewApiUser("fan_dlq");
  const std::int64_t parked = PublishVideo(AsDouyin(author), "parked");
  const std::int64_t later = PublishVideo(AsDouyin(author), "later");
  const std::int64_t kept = PublishVideo(AsDouyin(author), "kept");
  for (std::int64_t video : {parked, later, kept}) Like(fan, video);

  ClusterCommand({"kill", "favorite"});
  ASSERT_TRUE(IsApiOk(DeleteVideo(author, parked)));
  // Every attempt fails (favorite is down) until it is parked.
  std::string listed;
  EXPECT_TRUE(Eventually(
      [&] {
        listed = Server().RunClusterScript({"reel", "job", "dlq", "list", "--group", "job"}).out;
        return listed.find("VIDEO_DELETED subject " + std::to_string(parked)) != std::string::npos;
      },
      seconds(20)))
      << listed;
  ClusterCommand({"restart", "favorite"});

  // The others flow on: a later deletion's cascade is done while the first stays parked.
  ASSERT_TRUE(IsApiOk(DeleteVideo(author, later)));
  EXPECT_TRUE(Eventually([&] { return FavoriteCount(fan.user_id) == 2; }, kSettle))
      << "favorite_count " << FavoriteCount(fan.user_id);
  const std::string status = Server().RunClusterScript({"reel", "job", "status"}).out;
  EXPECT_NE(status.find("job"), std::string::npos) << status;

  // The replay applies it once: the fan keeps exactly the kept video's like.
  ClusterCommand({"reel", "job", "dlq", "replay", "--group", "job"});
  EXPECT_TRUE(Eventually([&] { return FavoriteCount(fan.user_id) == 1; }, kSettle))
      << "favorite_count " << FavoriteCount(fan.user_id);
  EXPECT_EQ(ReplyIds(GetApi("/api/favorite/videos", {}, fan.access_token), "videos"), Ids{kept});
  const std::string left =
      Server().RunClusterScript({"reel", "job", "dlq", "list", "--group", "job"}).out;
  EXPECT_NE(left.find("no dead letters"), std::string::npos) << left;
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_EQ(FavoriteCount(fan.user_id), 1) << "applied twice";
}

}  // namespace
}  // namespace reel::e2e
