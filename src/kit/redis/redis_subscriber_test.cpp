// RedisSubscriber against real redis-servers: delivery on the suite's server, and on a
// server of the test's own, killed, stopped (SIGSTOP) and restarted: on_reconnect fires
// once the subscriptions are back, and messages flow again without a new subscriber.
#include "kit/redis/redis_subscriber.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kit/redis/redis_client.hpp"
#include "kit/redis/testing/test_redis.hpp"

namespace reel::redis {
namespace {

using std::chrono::milliseconds;

// What a subscriber received, for the test thread to wait on.
class Inbox {
 public:
  void Add(std::string_view channel, std::string_view message) {
    {
      std::lock_guard lock(mutex_);
      messages_.emplace_back(std::string(channel), std::string(message));
    }
    changed_.notify_all();
  }
  void Reconnected() {
    {
      std::lock_guard lock(mutex_);
      ++reconnects_;
    }
    changed_.notify_all();
  }
  /// Waits until `count` messages came; false after `timeout`.
  bool WaitFor(std::size_t count, milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
  }
  std::vector<std::pair<std::string, std::string>> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  int reconnects() {
    std::lock_guard lock(mutex_);
    return reconnects_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<std::string, std::string>> messages_;
  int reconnects_ = 0;
};

std::unique_ptr<RedisSubscriber> Subscribe(const RedisOptions& options,
                                           std::vector<std::string> channels, Inbox& inbox) {
  return std::make_unique<RedisSubscriber>(
      options, std::move(channels),
      [&inbox](std::string_view channel, std::string_view message) { inbox.Add(channel, message); },
      [&inbox] { inbox.Reconnected(); });
}

TEST(RedisSubscriberTest, DeliversEachMessageOfItsChannels) {
  const RedisOptions options = testing::SuiteRedisOptions();
  const std::string a = testing::UniquePrefix() + "a";
  const std::string b = testing::UniquePrefix() + "b";
  Inbox inbox;
  auto subscriber = Subscribe(options, {a, b}, inbox);
  ASSERT_TRUE(subscriber->WaitSubscribed(milliseconds(3000)));
  EXPECT_EQ(inbox.reconnects(), 1);  // the first subscription counts: caches flush on it

  RedisClient client(options);
  const std::string binary("x\0y\r\n", 5);
  EXPECT_EQ(client.Publish(a, "one"), 1);
  EXPECT_EQ(client.Publish(testing::UniquePrefix() + "other", "not for it"), 0);
  EXPECT_EQ(client.Publish(b, binary), 1);
  EXPECT_EQ(client.Publish(a, "three"), 1);
  ASSERT_TRUE(inbox.WaitFor(3, milliseconds(3000)));
  const auto messages = inbox.messages();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0], std::make_pair(a, std::string("one")));
  EXPECT_EQ(messages[1], std::make_pair(b, binary));
  EXPECT_EQ(messages[2], std::make_pair(a, std::string("three")));
  EXPECT_EQ(subscriber->subscriptions(), 1);
}

TEST(RedisSubscriberTest, StaysQuietlySubscribedPastThePingInterval) {
  const RedisOptions options = testing::SuiteRedisOptions();
  const std::string channel = testing::UniquePrefix() + "quiet";
  Inbox inbox;
  auto subscriber = Subscribe(options, {channel}, inbox);
  ASSERT_TRUE(subscriber->WaitSubscribed(milliseconds(3000)));
  // Quiet for longer than the subscriber waits before a PING: the pong is not a message and
  // the connection is kept.
  std::this_thread::sleep_for(milliseconds(1500));
  RedisClient client(options);
  EXPECT_EQ(client.Publish(channel, "late"), 1);
  ASSERT_TRUE(inbox.WaitFor(1, milliseconds(3000)));
  EXPECT_EQ(inbox.messages().at(0).second, "late");
  EXPECT_EQ(subscriber->subscriptions(), 1);
}

TEST(RedisSubscriberTest, ResubscribesAfterARestartAndSaysSo) {
  testing::OwnRedis server;
  const RedisOptions options = server.Options();
  Inbox inbox;
  auto subscriber = Subscribe(options, {"invalidate"}, inbox);
  ASSERT_TRUE(subscriber->WaitSubscribed(milliseconds(3000)));
  RedisClient client(options);
  EXPECT_EQ(client.Publish("invalidate", "before"), 1);
  ASSERT_TRUE(inbox.WaitFor(1, milliseconds(3000)));

  server.Kill();
  for (int i = 0; i < 300 && subscriber->subscribed(); ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_FALSE(subscriber->subscribed());
  // Down for several reconnection attempts.
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(inbox.reconnects(), 1);

  server.Start();
  ASSERT_TRUE(subscriber->WaitSubscribed(milliseconds(3000)));
  EXPECT_EQ(inbox.reconnects(), 2);
  EXPECT_EQ(subscriber->subscriptions(), 2);
  EXPECT_EQ(client.Publish("invalidate", "after"), 1);
  ASSERT_TRUE(inbox.WaitFor(2, milliseconds(3000)));
  EXPECT_EQ(inbox.messages().at(1).second, "after");
}

TEST(RedisSubscriberTest, AHungServerIsFoundByPingAndLeftForANewConnection) {
  testing::OwnRedis server;
  RedisOptions options = server.Options();
  options.command_timeout = milliseconds(300);
  Inbox inbox;
  auto subscriber = Subscribe(options, {"hung"}, inbox);
  ASSERT_TRUE(subscriber->WaitSubscribed(milliseconds(3000)));
  const int pid = server.Pid();
  ASSERT_EQ(kill(pid, SIGSTOP), 0);
  // The connection stays open, so only the unanswered PING (sent after 1 s of quiet, given
  // command_timeout) tells the subscriber; bounded wait well past that.
  const auto stopped = std::chrono::steady_clock::now();
  for (int i = 0; i < 400 && subscriber->subscribed(); ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  const auto noticed = std::chrono::steady_clock::now() - stopped;
  ASSERT_EQ(kill(pid, SIGCONT), 0);
  EXPECT_FALSE(subscriber->subscribed());
  EXPECT_GE(noticed, milliseconds(1000));
  EXPECT_LT(noticed, milliseconds(3000));
  ASSERT_TRUE(subscriber->WaitSubscribed(milliseconds(3000)));
  EXPECT_EQ(inbox.reconnects(), 2);
  RedisClient client(options);
  EXPECT_EQ(client.Publish("hung", "resumed"), 1);
  ASSERT_TRUE(inbox.WaitFor(1, milliseconds(3000)));
}

TEST(RedisSubscriberTest, WaitsForAServerThatIsDownAtStart) {
  testing::OwnRedis server;
  const RedisOptions options = server.Options();
  server.Stop();
  Inbox inbox;
  auto subscriber = Subscribe(options, {"later"}, inbox);
  EXPECT_FALSE(subscriber->WaitSubscribed(milliseconds(300)));
  EXPECT_EQ(inbox.reconnects(), 0);
  server.Start();
  ASSERT_TRUE(subscriber->WaitSubscribed(milliseconds(3000)));
  RedisClient client(options);
  EXPECT_EQ(client.Publish("later", "hello"), 1);
  ASSERT_TRUE(inbox.WaitFor(1, milliseconds(3000)));
  // Destroyed while subscribed: the destructor stops the thread promptly.
  const auto start = std::chrono::steady_clock::now();
  subscriber.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1000));
}

}  // namespace
}  // namespace reel::redis
