// RedisRateLimiter against real redis-servers: two limiters with clients of their own stand
// for two replicas. The suite's server for the shared buckets (each test under a key prefix
// of its own); servers of the test's own where Redis is killed or hung.
#include "kit/limits/redis_rate_limiter.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "kit/redis/redis_client.hpp"
#include "kit/redis/testing/test_redis.hpp"

namespace reel::limits {
namespace {

using namespace std::chrono_literals;
using redis::RedisClient;
using SteadyClock = std::chrono::steady_clock;

RedisRateLimiterOptions OptionsForTest() {
  RedisRateLimiterOptions options;
  options.key_prefix = redis::testing::UniquePrefix();
  return options;
}

// A port on 127.0.0.1 nothing listens on (it was bound a moment ago, then released).
int DeadPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ADD_FAILURE() << "no port for a dead address";
  }
  close(fd);
  return ntohs(addr.sin_port);
}

template <typename Call>
std::chrono::milliseconds Timed(Call call) {
  const auto start = SteadyClock::now();
  call();
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
}

class RedisRateLimiterTest : public ::testing::Test {
 protected:
  SystemClock clock_;
  RedisRateLimiterOptions options_ = OptionsForTest();
  RedisClient replica_a_{redis::testing::SuiteRedisOptions()};
  RedisClient replica_b_{redis::testing::SuiteRedisOptions()};
};

TEST_F(RedisRateLimiterTest, TwoReplicasShareOneBudgetExactly) {
  RedisRateLimiter a(replica_a_, "default.ip", {.rate = 0.001, .burst = 5}, clock_, options_);
  RedisRateLimiter b(replica_b_, "default.ip", {.rate = 0.001, .burst = 5}, clock_, options_);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE((i % 2 ? b : a).Take("198.51.100.7").allowed) << i;
  }
  for (RedisRateLimiter* replica : {&a, &b}) {
    const Decision refused = replica->Take("198.51.100.7");
    EXPECT_FALSE(refused.allowed);
    // One token at 0.001/s: 1000 s, less the few milliseconds of refill since.
    EXPECT_GE(refused.retry_after, 999s);
    EXPECT_LE(refused.retry_after, 1000s);
  }
  EXPECT_EQ(a.fallbacks(), 0u);
  EXPECT_EQ(b.fallbacks(), 0u);
  // Kept only until it would be full again: 5 tokens at 0.001/s.
  const std::int64_t ttl_ms = replica_a_.Command({"PTTL", a.BucketKey("198.51.100.7")}).integer();
  EXPECT_GT(ttl_ms, 4'990'000);
  EXPECT_LE(ttl_ms, 5'000'000);
}

TEST_F(RedisRateLimiterTest, ConcurrentTakersOnTwoReplicasNeverExceedTheBurst) {
  RedisRateLimiter a(replica_a_, "default.user", {.rate = 0.001, .burst = 100}, clock_, options_);
  RedisRateLimiter b(replica_b_, "default.user", {.rate = 0.001, .burst = 100}, clock_, options_);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    RedisRateLimiter& replica = t % 2 ? b : a;
    threads.emplace_back([&] {
      for (int i = 0; i < 30; ++i) allowed += replica.Take("42").allowed ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 100);
  EXPECT_EQ(a.fallbacks() + b.fallbacks(), 0u);
}

TEST_F(RedisRateLimiterTest, RefillsWithTheServersTimeUpToTheBurst) {
  RedisRateLimiter a(replica_a_, "auth.ip", {.rate = 2, .burst = 2}, clock_, options_);
  RedisRateLimiter b(replica_b_, "auth.ip", {.rate = 2, .burst = 2}, clock_, options_);
  EXPECT_TRUE(a.Take("k").allowed);
  EXPECT_TRUE(b.Take("k").allowed);
  const std::int64_t ttl_ms = replica_a_.Command({"PTTL", a.BucketKey("k")}).integer();
  EXPECT_GT(ttl_ms, 900);  // empty, full again in 1 s
  EXPECT_LE(ttl_ms, 1000);
  const Decision refused = a.Take("k");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1s);  // half a second, rounded up to the minimum
  std::this_thread::sleep_for(600ms);  // 1.2 tokens
  EXPECT_TRUE(b.Take("k").allowed);
  EXPECT_FALSE(a.Take("k").allowed);
  std::this_thread::sleep_for(900ms);  // 0.2 + 1.8, but never more than the burst
  EXPECT_TRUE(a.Take("k").allowed);
  EXPECT_TRUE(b.Take("k").allowed);
  EXPECT_FALSE(a.Take("k").allowed);
}

TEST_F(RedisRateLimiterTest, PeekDoesNotTake) {
  RedisRateLimiter a(replica_a_, "login.name", {.rate = 0.001, .burst = 1}, clock_, options_);
  RedisRateLimiter b(replica_b_, "login.name", {.rate = 0.001, .burst = 1}, clock_, options_);
  EXPECT_TRUE(a.Peek("alice").allowed);
  EXPECT_TRUE(b.Peek("alice").allowed);
  EXPECT_EQ(replica_a_.Command({"EXISTS", a.BucketKey("alice")}).integer(), 0);
  EXPECT_TRUE(a.Take("alice").allowed);
  EXPECT_FALSE(a.Peek("alice").allowed);
  EXPECT_FALSE(b.Peek("alice").allowed);
}

TEST_F(RedisRateLimiterTest, NamesKeysAndPrefixesKeepBucketsApart) {
  const Rate one{.rate = 0.001, .burst = 1};
  RedisRateLimiter default_ip(replica_a_, "default.ip", one, clock_, options_);
  RedisRateLimiter auth_ip(replica_a_, "auth.ip", one, clock_, options_);
  RedisRateLimiterOptions other_deployment = options_;
  other_deployment.key_prefix += "other:";
  RedisRateLimiter elsewhere(replica_b_, "default.ip", one, clock_, other_deployment);

  EXPECT_TRUE(default_ip.Take("k").allowed);
  EXPECT_FALSE(default_ip.Take("k").allowed);
  EXPECT_TRUE(default_ip.Take("k2").allowed);
  EXPECT_TRUE(auth_ip.Take("k").allowed);
  EXPECT_TRUE(elsewhere.Take("k").allowed);
  EXPECT_EQ(default_ip.BucketKey("k"), options_.key_prefix + "rl:default.ip:k");
  EXPECT_EQ(replica_a_.Command({"EXISTS", options_.key_prefix + "rl:default.ip:k"}).integer(), 1);
}

TEST_F(RedisRateLimiterTest, ADeadRedisLeavesTheDecisionsToLocalBuckets) {
  ManualClock clock;
  redis::RedisOptions dead = redis::testing::SuiteRedisOptions();
  dead.endpoint.port = DeadPort();
  RedisClient client(dead);
  RedisRateLimiter limiter(client, "default.ip", {.rate = 0.001, .burst = 2}, clock, options_);
  // Limited still, not refused outright and not let through without limit.
  EXPECT_TRUE(limiter.Take("ip").allowed);
  EXPECT_TRUE(limiter.Peek("ip").allowed);
  EXPECT_TRUE(limiter.Take("ip").allowed);
  const Decision refused = limiter.Take("ip");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1000s);
  EXPECT_EQ(limiter.fallbacks(), 4u);
  clock.Advance(1s);  // the backoff: Redis is asked again, and is still dead
  EXPECT_FALSE(limiter.Take("ip").allowed);
  EXPECT_EQ(limiter.fallbacks(), 5u);
}

TEST(RedisRateLimiterFaultTest, AHungRedisIsWaitedForOnceThenSkippedByAllItsLimiters) {
  redis::testing::OwnRedis server;
  redis::RedisOptions options = server.Options();
  options.command_timeout = 300ms;
  ManualClock clock;
  RedisClient client(options);
  RedisClient other_replica(options);
  // Two limiters of one process share the outage; the other replica has its own.
  const RateLimiterFactory make = RedisRateLimiters(client, clock, OptionsForTest());
  auto ip = make("default.ip", {.rate = 0.001, .burst = 3});
  auto user = make("default.user", {.rate = 0.001, .burst = 3});
  RedisRateLimiter replica(other_replica, "default.ip", {.rate = 0.001, .burst = 3}, clock,
                           OptionsForTest());
  auto& ip_limiter = dynamic_cast<RedisRateLimiter&>(*ip);
  auto& user_limiter = dynamic_cast<RedisRateLimiter&>(*user);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ip->Take("k").allowed);
  ASSERT_FALSE(replica.Take("k").allowed);  // the shared bucket is empty

  const int pid = server.Pid();
  ASSERT_EQ(kill(pid, SIGSTOP), 0);
  Decision first;
  const auto waited = Timed([&] { first = ip->Take("k"); });
  Decision skipped;
  const auto skipped_in = Timed([&] { skipped = user->Take("k"); });
  ASSERT_EQ(kill(pid, SIGCONT), 0);
  EXPECT_TRUE(first.allowed);  // this process's bucket for "k" is full
  EXPECT_GE(waited, 250ms);
  EXPECT_TRUE(skipped.allowed);
  EXPECT_LT(skipped_in, 100ms);  // no second timeout
  EXPECT_EQ(ip_limiter.fallbacks(), 1u);
  EXPECT_EQ(user_limiter.fallbacks(), 1u);

  // Redis is back, but the backoff has not passed: still local.
  EXPECT_TRUE(ip->Take("k").allowed);
  EXPECT_EQ(ip_limiter.fallbacks(), 2u);
  clock.Advance(1s);
  // The shared bucket decides again, and it is still empty; the probe's answer lets the
  // other limiter ask Redis again too.
  EXPECT_FALSE(ip->Take("k").allowed);
  EXPECT_EQ(ip_limiter.fallbacks(), 2u);
  EXPECT_TRUE(user->Take("k").allowed);
  EXPECT_EQ(user_limiter.fallbacks(), 1u);
  EXPECT_EQ(client.Command({"EXISTS", user_limiter.BucketKey("k")}).integer(), 1);
  EXPECT_FALSE(replica.Take("k").allowed);
  EXPECT_EQ(replica.fallbacks(), 0u);
}

TEST(RedisRateLimiterFaultTest, AfterAKillLocalBucketsDecideAndAfterTheRestartSharedOnesAgain) {
  redis::testing::OwnRedis server;
  ManualClock clock;
  RedisClient client_a(server.Options());
  RedisClient client_b(server.Options());
  const RedisRateLimiterOptions options = OptionsForTest();
  RedisRateLimiter a(client_a, "auth.user", {.rate = 0.001, .burst = 2}, clock, options);
  RedisRateLimiter b(client_b, "auth.user", {.rate = 0.001, .burst = 2}, clock, options);
  EXPECT_TRUE(a.Take("7").allowed);
  EXPECT_EQ(a.fallbacks(), 0u);

  server.Kill();
  EXPECT_TRUE(a.Take("7").allowed);
  EXPECT_TRUE(a.Take("7").allowed);
  EXPECT_FALSE(a.Take("7").allowed);  // this process's burst of 2, spent
  EXPECT_EQ(a.fallbacks(), 3u);

  server.Start();  // empty: this server keeps nothing across a restart
  clock.Advance(1s);
  EXPECT_TRUE(a.Take("7").allowed);
  EXPECT_TRUE(b.Take("7").allowed);
  EXPECT_FALSE(a.Take("7").allowed);  // one budget for both again
  EXPECT_FALSE(b.Take("7").allowed);
  EXPECT_EQ(a.fallbacks(), 3u);
  EXPECT_EQ(b.fallbacks(), 0u);
  EXPECT_EQ(client_a.Command({"EXISTS", a.BucketKey("7")}).integer(), 1);
}

TEST(SharedOrLocalRateLimitersTest, WithoutRedisTheBucketsAreThisProcesss) {
  ManualClock clock;
  const RateLimiterFactory make = SharedOrLocalRateLimiters(nullptr, clock);
  auto limiter = make("default.ip", {.rate = 1, .burst = 1});
  EXPECT_NE(dynamic_cast<KeyedRateLimiter*>(limiter.get()), nullptr);
  EXPECT_TRUE(limiter->Take("k").allowed);
  EXPECT_FALSE(limiter->Take("k").allowed);
  EXPECT_EQ(limiter->rate().burst, 1);
}

}  // namespace
}  // namespace reel::limits
