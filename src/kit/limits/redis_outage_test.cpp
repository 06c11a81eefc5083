// RedisOutage: when the limiters on one Redis ask it, and when they skip it.
#include "kit/limits/redis_outage.hpp"

#include <gtest/gtest.h>

namespace reel::limits {
namespace {

using namespace std::chrono_literals;

class RedisOutageTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  RedisOutage outage_{clock_, 1000ms, 30s};
};

TEST_F(RedisOutageTest, EveryoneAsksWhileRedisAnswers) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(outage_.ShouldTry());
    outage_.Succeeded();
  }
  // Callers in flight together all ask.
  EXPECT_TRUE(outage_.ShouldTry());
  EXPECT_TRUE(outage_.ShouldTry());
}

TEST_F(RedisOutageTest, AfterAFailureNobodyAsksUntilTheBackoffThenOneProbeAtATime) {
  ASSERT_TRUE(outage_.ShouldTry());
  outage_.Failed("default.ip", "connection refused", /*unreachable=*/true);
  EXPECT_FALSE(outage_.ShouldTry());
  clock_.Advance(999ms);
  EXPECT_FALSE(outage_.ShouldTry());
  clock_.Advance(1ms);
  EXPECT_TRUE(outage_.ShouldTry());   // the probe
  EXPECT_FALSE(outage_.ShouldTry());  // others do not wait on a Redis that may hang
  // The probe failed: another full backoff.
  outage_.Failed("default.ip", "timeout", true);
  EXPECT_FALSE(outage_.ShouldTry());
  clock_.Advance(1000ms);
  ASSERT_TRUE(outage_.ShouldTry());
  outage_.Succeeded();
  EXPECT_TRUE(outage_.ShouldTry());
  EXPECT_TRUE(outage_.ShouldTry());
}

TEST_F(RedisOutageTest, AnErrorReplyStartsNoBackoff) {
  ASSERT_TRUE(outage_.ShouldTry());
  outage_.Failed("auth.ip", "WRONGTYPE", /*unreachable=*/false);
  EXPECT_TRUE(outage_.ShouldTry());
  // Nor does it leave a probe marked in flight.
  outage_.Failed("auth.ip", "down", true);
  clock_.Advance(1000ms);
  ASSERT_TRUE(outage_.ShouldTry());
  outage_.Failed("auth.ip", "WRONGTYPE", false);
  EXPECT_TRUE(outage_.ShouldTry());
  EXPECT_TRUE(outage_.ShouldTry());
}

}  // namespace
}  // namespace reel::limits
