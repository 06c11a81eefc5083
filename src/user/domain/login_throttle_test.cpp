#include "user/domain/login_throttle.hpp"

#include <gtest/gtest.h>

namespace reel::user {
namespace {

using namespace std::chrono_literals;

class LoginThrottleTest : public ::testing::Test {
 protected:
  // Fails `attempt` until the throttle refuses it (at most `limit` times); how many failed.
  int FailUntilRefused(const LoginAttempt& attempt, int limit = 1000) {
    int failed = 0;
    while (failed < limit && throttle_.Check(attempt).allowed) {
      throttle_.Failed(attempt);
      ++failed;
    }
    return failed;
  }

  ManualClock clock_;
  LoginThrottle throttle_{LoginThrottleConfig{}, clock_};  // the defaults
};

TEST_F(LoginThrottleTest, OneAddressGuessingOneNameGetsFiveThenOneEveryTenSeconds) {
  const LoginAttempt guesser{"alice", "203.0.113.9", {}};
  EXPECT_EQ(FailUntilRefused(guesser), 5);
  const auto refused = throttle_.Check(guesser);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 10s);
  clock_.Advance(10s);
  EXPECT_EQ(FailUntilRefused(guesser), 1);
}

TEST_F(LoginThrottleTest, TheOwnerAtAnotherAddressIsNotSlowedByTheGuesser) {
  const LoginAttempt guesser{"alice", "203.0.113.9", {}};
  EXPECT_EQ(FailUntilRefused(guesser), 5);
  EXPECT_TRUE(throttle_.Check({"alice", "198.51.100.4", {}}).allowed);
  EXPECT_TRUE(throttle_.Check({"ALICE", "198.51.100.4", {}}).allowed);
  EXPECT_FALSE(throttle_.Check({"ALICE", "203.0.113.9", {}}).allowed);  // names fold case
}

TEST_F(LoginThrottleTest, OneAddressTryingManyNamesMeetsTheAddressBucket) {
  int failed = 0;
  for (int name = 0; name < 100; ++name) {
    failed += FailUntilRefused({"user" + std::to_string(name), "203.0.113.9", {}});
  }
  EXPECT_EQ(failed, 20);
  EXPECT_TRUE(throttle_.Check({"user0", "198.51.100.4", {}}).allowed);
}

TEST_F(LoginThrottleTest, ManyAddressesGuessingOneNameMeetTheNameCeiling) {
  int failed = 0;
  for (int address = 0; address < 100 && throttle_.Check({"alice", "x", {}}).allowed; ++address) {
    failed += FailUntilRefused({"alice", "10.0.0." + std::to_string(address), {}});
  }
  EXPECT_EQ(failed, 50);
  // The owner at a fresh address is stopped too, unless a device token vouches for them.
  EXPECT_FALSE(throttle_.Check({"alice", "198.51.100.4", {}}).allowed);
  EXPECT_TRUE(throttle_.Check({"alice", "198.51.100.4", "device-1"}).allowed);
  // ... even from the guesser's own address.
  EXPECT_TRUE(throttle_.Check({"alice", "10.0.0.0", "device-1"}).allowed);
  clock_.Advance(2s);
  EXPECT_TRUE(throttle_.Check({"alice", "198.51.100.4", {}}).allowed);
}

TEST_F(LoginThrottleTest, ADeviceTokenHasABucketOfItsOwnAndSparesTheOthers) {
  const LoginAttempt device{"alice", "203.0.113.9", "device-1"};
  EXPECT_EQ(FailUntilRefused(device), 10);
  EXPECT_TRUE(throttle_.Check({"alice", "203.0.113.9", "device-2"}).allowed);
  EXPECT_TRUE(throttle_.Check({"alice", "203.0.113.9", {}}).allowed);
  EXPECT_TRUE(throttle_.Check({"bob", "203.0.113.9", "device-1"}).allowed);
}

TEST_F(LoginThrottleTest, TheLongestWaitIsReported) {
  LoginThrottle throttle(LoginThrottleConfig{.name_and_address = {0.5, 1}, .address = {0.01, 1}},
                         clock_);
  const LoginAttempt guesser{"alice", "203.0.113.9", {}};
  throttle.Failed(guesser);
  EXPECT_EQ(throttle.Check(guesser).retry_after, 100s);
}

}  // namespace
}  // namespace reel::user
