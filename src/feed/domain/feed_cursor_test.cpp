#include "feed/domain/feed_cursor.hpp"

#include <gtest/gtest.h>

namespace reel::feed {
namespace {

TEST(FeedBoundTest, SecondsAndMillisecondsAreTellApart) {
  EXPECT_EQ(FeedBoundMs(0), 0);
  EXPECT_EQ(FeedBoundMs(-5), 0);
  EXPECT_EQ(FeedBoundMs(1'680'703'713), 1'680'703'713'000);      // seconds
  EXPECT_EQ(FeedBoundMs(1'680'703'713'123), 1'680'703'713'123);  // milliseconds
  EXPECT_EQ(FeedBoundMs(99'999'999'999), 99'999'999'999'000);
  EXPECT_EQ(FeedBoundMs(100'000'000'000), 100'000'000'000);
}

}  // namespace
}  // namespace reel::feed
