#include "kit/rpc/adaptive_throttle.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace reel::rpc {
namespace {

using namespace std::chrono_literals;

// Hands out the given draws in order and counts how many were taken.
struct FixedDraws {
  std::deque<double> draws;
  int taken = 0;
  std::function<double()> Source() {
    return [this] {
      ++taken;
      double value = draws.front();
      draws.pop_front();
      return value;
    };
  }
};

TEST(AdaptiveThrottleTest, AllAcceptedNeverRejectsNorDraws) {
  ManualClock clock;
  FixedDraws draws;
  AdaptiveThrottle throttle({.k = 2.0, .window = 10s, .buckets = 10}, clock, draws.Source());
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(throttle.Allow());
    throttle.Record(true);
  }
  EXPECT_EQ(throttle.RejectProbability(), 0.0);
  EXPECT_EQ(draws.taken, 0);
}

TEST(AdaptiveThrottleTest, ProbabilityFollowsTheFormulaExactly) {
  ManualClock clock;
  FixedDraws draws{{0.99, 0.99, 0.99, 0.99}};
  AdaptiveThrottle throttle({.k = 2.0, .window = 10s, .buckets = 10}, clock, draws.Source());
  // 3 accepted of 3: requests 3, accepts 3 → 3 − 6 < 0 → 0.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(throttle.Allow());
    throttle.Record(true);
  }
  EXPECT_EQ(throttle.RejectProbability(), 0.0);
  // 7 failures: (10 − 6) / 11.
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(throttle.Allow());
    throttle.Record(false);
  }
  EXPECT_DOUBLE_EQ(throttle.RejectProbability(), 4.0 / 11.0);
  EXPECT_EQ(draws.taken, 3);  // p stayed 0 until requests exceeded 2·accepts: 3 draws
}

TEST(AdaptiveThrottleTest, DrawBelowProbabilityRejectsAndStillCountsTheRequest) {
  ManualClock clock;
  FixedDraws draws{{0.5, 0.49, 0.2}};
  AdaptiveThrottle throttle({.k = 2.0, .window = 10s, .buckets = 10}, clock, draws.Source());
  ASSERT_TRUE(throttle.Allow());  // p = 0, no draw
  throttle.Record(false);
  // p = 1/2; a draw of 0.5 is not below it: allowed.
  ASSERT_TRUE(throttle.Allow());
  throttle.Record(false);
  // p = 2/3; 0.49 < 2/3: rejected, but counted.
  EXPECT_DOUBLE_EQ(throttle.RejectProbability(), 2.0 / 3.0);
  EXPECT_FALSE(throttle.Allow());
  EXPECT_DOUBLE_EQ(throttle.RejectProbability(), 3.0 / 4.0);
  EXPECT_FALSE(throttle.Allow());  // 0.2 < 3/4
  EXPECT_DOUBLE_EQ(throttle.RejectProbability(), 4.0 / 5.0);
  EXPECT_EQ(draws.taken, 3);
}

TEST(AdaptiveThrottleTest, KParameterIsHonoured) {
  ManualClock clock;
  // k = 1: 4 accepts of 10 requests → (10 − 4) / 11; k = 3 → 10 − 12 < 0 → 0.
  for (double k : {1.0, 3.0}) {
    FixedDraws draws{std::deque<double>(10, 0.999)};
    AdaptiveThrottle throttle({.k = k, .window = 10s, .buckets = 10}, clock, draws.Source());
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(throttle.Allow()) << "k=" << k << " i=" << i;
      throttle.Record(i < 4);
    }
    const double expected = k == 1.0 ? 6.0 / 11.0 : 0.0;
    EXPECT_DOUBLE_EQ(throttle.RejectProbability(), expected) << "k=" << k;
  }
}

TEST(AdaptiveThrottleTest, WindowExpiryBringsProbabilityBackToZero) {
  ManualClock clock;
  FixedDraws draws{std::deque<double>(20, 0.999)};
  AdaptiveThrottle throttle({.k = 2.0, .window = 10s, .buckets = 10}, clock, draws.Source());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(throttle.Allow());
    throttle.Record(false);
  }
  EXPECT_DOUBLE_EQ(throttle.RejectProbability(), 5.0 / 6.0);
  clock.Advance(9s);  // the failures' slot is still the oldest of the window
  EXPECT_DOUBLE_EQ(throttle.RejectProbability(), 5.0 / 6.0);
  clock.Advance(1s);
  EXPECT_EQ(throttle.RejectProbability(), 0.0);
  // Fresh traffic after expiry starts from zero again.
  ASSERT_TRUE(throttle.Allow());
  throttle.Record(true);
  EXPECT_EQ(throttle.RejectProbability(), 0.0);
}

TEST(AdaptiveThrottleTest, OldSlotsSlideOutOneByOne) {
  ManualClock clock;
  FixedDraws draws{std::deque<double>(20, 0.999)};
  AdaptiveThrottle throttle({.k = 2.0, .window = 4s, .buckets = 4}, clock, draws.Source());
  // Two failures in slot 0, one in slot 2.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(throttle.Allow());
    throttle.Record(false);
  }
  clock.Advance(2s);
  ASSERT_TRUE(throttle.Allow());
  throttle.Record(false);
  EXPECT_DOUBLE_EQ(throttle.RejectProbability(), 3.0 / 4.0);
  clock.Advance(2s);  // slot 4: slot 0 has left the window, slot 2 remains
  EXPECT_DOUBLE_EQ(throttle.RejectProbability(), 1.0 / 2.0);
  clock.Advance(2s);  // slot 6: slot 2 has left too
  EXPECT_EQ(throttle.RejectProbability(), 0.0);
}

TEST(AdaptiveThrottleTest, TheFirstRequestOfEachSlotIsAlwaysSent) {
  ManualClock clock;
  // Every draw says "reject" (0 is below any positive probability).
  AdaptiveThrottle throttle({.k = 2.0, .window = std::chrono::seconds(10), .buckets = 10}, clock,
                            [] { return 0.0; });
  ASSERT_TRUE(throttle.Allow());
  throttle.Record(false);  // the dependency is down: p = 1/2 from here
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(throttle.Allow()) << i;
  // Each new second (a slot) sends one probe however many were refused: a dependency that
  // came back is found within a slot, not after an average of a window.
  for (int second = 1; second <= 3; ++second) {
    clock.Advance(std::chrono::seconds(1));
    EXPECT_TRUE(throttle.Allow()) << "second " << second;
    throttle.Record(false);
    EXPECT_FALSE(throttle.Allow()) << "second " << second;
  }
}

// Calls in flight are not failures: a fresh client's first burst, sent before any answer
// came back, must not throttle itself.
TEST(AdaptiveThrottleTest, CallsInFlightDoNotCount) {
  ManualClock clock;
  FixedDraws draws;
  AdaptiveThrottle throttle({.k = 2.0, .window = 10s, .buckets = 10}, clock, draws.Source());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(throttle.Allow()) << i;
  EXPECT_EQ(throttle.RejectProbability(), 0.0);
  EXPECT_EQ(draws.taken, 0);
  for (int i = 0; i < 20; ++i) throttle.Record(true);
  EXPECT_EQ(throttle.RejectProbability(), 0.0);
}

TEST(AdaptiveThrottleTest, DefaultRandomRejectsAboutTheRightShare) {
  ManualClock clock;
  AdaptiveThrottle throttle({.k = 2.0, .window = 10s, .buckets = 10}, clock);
  // Nine failed requests (the first few pass while p is still low).
  for (int i = 0; i < 9; ++i) {
    if (throttle.Allow()) throttle.Record(false);
  }
  // From here p ≥ 0.9: nearly every further call is rejected.
  int rejected = 0;
  for (int i = 0; i < 200; ++i) {
    if (!throttle.Allow()) ++rejected;
  }
  EXPECT_GT(rejected, 160);
}

}  // namespace
}  // namespace reel::rpc
