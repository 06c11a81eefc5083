#include "kit/limits/keyed_rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace reel::limits {
namespace {

using namespace std::chrono_literals;

TEST(KeyedRateLimiterTest, BurstThenRefusalWithRetryAfter) {
  ManualClock clock;
  KeyedRateLimiter limiter({.rate = 0.5, .burst = 3}, clock);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("ip").allowed) << i;
  Decision refused = limiter.Take("ip");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 2s);  // one token at 0.5/s
}

TEST(KeyedRateLimiterTest, RefillsWithTimeUpToBurst) {
  ManualClock clock;
  KeyedRateLimiter limiter({.rate = 1, .burst = 2}, clock);
  EXPECT_TRUE(limiter.Take("k").allowed);
  EXPECT_TRUE(limiter.Take("k").allowed);
  EXPECT_FALSE(limiter.Take("k").allowed);
  clock.Advance(1s);
  EXPECT_TRUE(limiter.Take("k").allowed);
  EXPECT_FALSE(limiter.Take("k").allowed);
  clock.Advance(100s);  // never more than the burst
  EXPECT_TRUE(limiter.Take("k").allowed);
  EXPECT_TRUE(limiter.Take("k").allowed);
  EXPECT_FALSE(limiter.Take("k").allowed);
}

TEST(KeyedRateLimiterTest, KeysAreIndependent) {
  ManualClock clock;
  KeyedRateLimiter limiter({.rate = 1, .burst = 1}, clock);
  EXPECT_TRUE(limiter.Take("a").allowed);
  EXPECT_FALSE(limiter.Take("a").allowed);
  EXPECT_TRUE(limiter.Take("b").allowed);
}

TEST(KeyedRateLimiterTest, PeekDoesNotConsume) {
  ManualClock clock;
  KeyedRateLimiter limiter({.rate = 1, .burst = 1}, clock);
  EXPECT_TRUE(limiter.Peek("a").allowed);
  EXPECT_TRUE(limiter.Peek("a").allowed);
  EXPECT_TRUE(limiter.Take("a").allowed);
  EXPECT_FALSE(limiter.Peek("a").allowed);
}

TEST(KeyedRateLimiterTest, MemoryStaysBoundedAndEmptyBucketsSurviveEviction) {
  ManualClock clock;
  KeyedRateLimiter limiter({.rate = 0.001, .burst = 1}, clock, /*max_keys=*/160);
  EXPECT_TRUE(limiter.Take("hot").allowed);
  // Many one-off keys force evictions. Their buckets are full, so they go first; the
  // exhausted "hot" bucket is kept, and the client behind it stays limited.
  for (int i = 0; i < 10'000; ++i) limiter.Peek("fresh" + std::to_string(i));
  EXPECT_LE(limiter.KeyCount(), 160u);
  EXPECT_FALSE(limiter.Take("hot").allowed);
}

TEST(KeyedRateLimiterTest, ConcurrentTakersNeverExceedTheBurst) {
  ManualClock clock;  // frozen: no refill during the test
  KeyedRateLimiter limiter({.rate = 1, .burst = 100}, clock);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) allowed += limiter.Take("shared").allowed ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 100);
}

}  // namespace
}  // namespace reel::limits
