#include "kit/bus/dispatch.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

namespace reel::bus {
namespace {

const Delivery kDelivery{Message{"id-1", "video:1", "payload"}, "1"};

TEST(DispatchTest, HandledOnTheFirstAttempt) {
  int calls = 0;
  auto result = Dispatch(
      kDelivery, [&](const Delivery&) { ++calls; }, RetryPolicy{.max_attempts = 3},
      std::stop_token{});
  EXPECT_EQ(result.outcome, DispatchResult::Outcome::kHandled);
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(calls, 1);
}

TEST(DispatchTest, RetriesUntilTheHandlerSucceeds) {
  int calls = 0;
  auto result = Dispatch(
      kDelivery,
      [&](const Delivery& d) {
        EXPECT_EQ(d.message.id, "id-1");
        if (++calls < 3) throw std::runtime_error("not yet");
      },
      RetryPolicy{.max_attempts = 5, .initial_backoff = std::chrono::milliseconds(1)},
      std::stop_token{});
  EXPECT_EQ(result.outcome, DispatchResult::Outcome::kHandled);
  EXPECT_EQ(result.attempts, 3);
}

TEST(DispatchTest, FailsAfterMaxAttemptsWithTheLastError) {
  int calls = 0;
  auto result = Dispatch(
      kDelivery,
      [&](const Delivery&) { throw std::runtime_error("broken " + std::to_string(++calls)); },
      RetryPolicy{.max_attempts = 4, .initial_backoff = std::chrono::milliseconds(1)},
      std::stop_token{});
  EXPECT_EQ(result.outcome, DispatchResult::Outcome::kFailed);
  EXPECT_EQ(result.attempts, 4);
  EXPECT_EQ(result.error, "broken 4");
}

TEST(DispatchTest, AStopEndsTheBackoffWithoutParking) {
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop.request_stop();
  });
  const auto started = std::chrono::steady_clock::now();
  auto result = Dispatch(
      kDelivery, [&](const Delivery&) { throw std::runtime_error("down"); },
      RetryPolicy{.max_attempts = 100, .initial_backoff = std::chrono::seconds(30)},
      stop.get_token());
  EXPECT_EQ(result.outcome, DispatchResult::Outcome::kStopped);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(DispatchTest, NamesAreChecked) {
  EXPECT_TRUE(ValidName("search.127.0.0.1:9082"));
  EXPECT_TRUE(ValidName("favorite"));
  EXPECT_FALSE(ValidName(""));
  EXPECT_FALSE(ValidName("a b"));
  EXPECT_FALSE(ValidName(std::string(129, 'a')));
}

}  // namespace
}  // namespace reel::bus
