#include "user/domain/login_throttle.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <utility>

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

// Buckets shared by name between the throttles built over it, as RedisRateLimiters on one
// Redis are between replicas, kept in memory here.
class SharedBuckets {
 public:
  explicit SharedBuckets(const Clock& clock) : clock_(clock) {}

  limits::RateLimiterFactory Factory() {
    return [this](std::string_view name, const limits::Rate& rate) {
      auto& shared = buckets_[std::string(name)];
      if (!shared) shared = std::make_shared<limits::KeyedRateLimiter>(rate, clock_);
      return std::unique_ptr<limits::RateLimiter>(std::make_unique<Handle>(shared));
    };
  }
  std::size_t names() const { return buckets_.size(); }

 private:
  class Handle final : public limits::RateLimiter {
   public:
    explicit Handle(std::shared_ptr<limits::KeyedRateLimiter> shared)
        : shared_(std::move(shared)) {}
    limits::Decision Take(std::string_view key, double cost) override {
      return shared_->Take(key, cost);
    }
    limits::Decision Peek(std::string_view key) override { return shared_->Peek(key); }
    const limits::Rate& rate() const override { return shared_->rate(); }

   private:
    std::shared_ptr<limits::KeyedRateLimiter> shared_;
  };

  const Clock& clock_;
  std::map<std::string, std::shared_ptr<limits::KeyedRateLimiter>> buckets_;
};

TEST_F(LoginThrottleTest, ReplicasOverSharedBucketsGiveAGuesserOneBudget) {
  SharedBuckets shared(clock_);
  LoginThrottle replica_a(LoginThrottleConfig{}, shared.Factory());
  LoginThrottle replica_b(LoginThrottleConfig{}, shared.Factory());
  EXPECT_EQ(shared.names(), 4u);  // one bucket group per kind, not one per replica
  const LoginAttempt guesser{"alice", "203.0.113.9", {}};
  int failed = 0;
  for (int i = 0; i < 100; ++i) {
    LoginThrottle& replica = i % 2 ? replica_b : replica_a;
    if (!replica.Check(guesser).allowed) break;
    replica.Failed(guesser);
    ++failed;
  }
  EXPECT_EQ(failed, 5);
  EXPECT_FALSE(replica_a.Check(guesser).allowed);
  EXPECT_FALSE(replica_b.Check(guesser).allowed);
}

}  // namespace
}  // namespace reel::user
