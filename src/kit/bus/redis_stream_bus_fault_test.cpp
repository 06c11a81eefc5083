// RedisStreamBus against a redis-server of the test's own, killed and restarted under a
// running member: Publish fails as BUS_UNAVAILABLE meanwhile, and the same member carries on
// once the server is back.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kit/bus/redis_stream_bus.hpp"
#include "kit/redis/testing/test_redis.hpp"

namespace reel::bus {
namespace {

using namespace std::chrono_literals;

class HandledIds {
 public:
  void Add(const std::string& id) {
    std::lock_guard lock(mu_);
    ids_.insert(id);
    cv_.notify_all();
  }
  // Waits up to `timeout` until every one of `ids` was handled.
  bool WaitForAll(const std::vector<std::string>& ids, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      for (const std::string& id : ids) {
        if (!ids_.contains(id)) return false;
      }
      return true;
    });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::string> ids_;
};

std::vector<Message> Batch(const std::string& tag, int count) {
  std::vector<Message> out;
  for (int i = 0; i < count; ++i) {
    out.push_back(Message{tag + std::to_string(i), "video:" + std::to_string(i % 3), tag});
  }
  return out;
}

std::vector<std::string> IdsOf(const std::vector<Message>& messages) {
  std::vector<std::string> out;
  for (const Message& m : messages) out.push_back(m.id);
  return out;
}

TEST(RedisStreamBusFaultTest, KilledServerFailsPublishThenTheSameMemberResumesAfterRestart) {
  redis::testing::OwnRedis server;
  redis::RedisClient client(server.Options());
  RedisStreamBus bus(client, RedisStreamOptions{.prefix = "fault:", .lease = 600ms, .poll = 10ms});
  HandledIds handled;
  auto member = bus.Subscribe(
      SubscribeOptions{.group = "g", .consumer = "m", .retry = {.initial_backoff = 1ms}},
      [&](const Delivery& d) { handled.Add(d.message.id); });

  const std::vector<Message> before = Batch("before-", 6);
  bus.Publish(before);
  ASSERT_TRUE(handled.WaitForAll(IdsOf(before)));

  server.Kill();
  const std::vector<Message> during = Batch("during-", 3);
  try {
    bus.Publish(during);
    FAIL() << "Publish succeeded with the server down";
  } catch (const StatusError& e) {
    EXPECT_EQ(e.status().code, Code::kUnavailable);
    EXPECT_EQ(e.status().reason, "BUS_UNAVAILABLE");
  }
  std::this_thread::sleep_for(300ms);  // the member meets the outage too

  server.Start();
  // The caller publishes again what failed (at least once), then more.
  bus.Publish(during);
  const std::vector<Message> after = Batch("after-", 6);
  bus.Publish(after);
  EXPECT_TRUE(handled.WaitForAll(IdsOf(during)));
  EXPECT_TRUE(handled.WaitForAll(IdsOf(after)));
  // Back to normal: the group is reported with its one live member and nothing pending.
  const auto groups = bus.Groups();
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].consumers, 1);
  EXPECT_EQ(groups[0].lag, 0);
}

TEST(RedisStreamBusFaultTest, GroupsDeadLettersAndReplayFailAsBusUnavailableWhileDown) {
  redis::testing::OwnRedis server;
  redis::RedisClient client(server.Options());
  RedisStreamBus bus(client, RedisStreamOptions{.prefix = "fault:", .lease = 600ms, .poll = 10ms});
  server.Kill();
  auto reason = [](auto call) {
    try {
      call();
    } catch (const StatusError& e) {
      return e.status().reason;
    }
    return std::string("no error");
  };
  EXPECT_EQ(reason([&] { bus.Groups(); }), "BUS_UNAVAILABLE");
  EXPECT_EQ(reason([&] { bus.DeadLetters("g", 10); }), "BUS_UNAVAILABLE");
  EXPECT_EQ(reason([&] { bus.Replay("g", {}); }), "BUS_UNAVAILABLE");
  // A member can still be made: it creates its group once Redis is back.
  HandledIds handled;
  auto member = bus.Subscribe(SubscribeOptions{.group = "g", .consumer = "m"},
                              [&](const Delivery& d) { handled.Add(d.message.id); });
  std::this_thread::sleep_for(100ms);
  server.Start();
  const std::vector<Message> later = Batch("later-", 3);
  bus.Publish(later);
  EXPECT_TRUE(handled.WaitForAll(IdsOf(later)));
}

}  // namespace
}  // namespace reel::bus
