#include "kit/http/douyin_time.hpp"

#include <gtest/gtest.h>

namespace reel::http {
namespace {

TEST(DouyinTimeTest, SecondsAndMillisecondsAreTellApart) {
  EXPECT_EQ(DouyinTimeMs(0), 0);
  EXPECT_EQ(DouyinTimeMs(-5), 0);
  EXPECT_EQ(DouyinTimeMs(1'680'703'713), 1'680'703'713'000);      // seconds
  EXPECT_EQ(DouyinTimeMs(1'680'703'713'123), 1'680'703'713'123);  // milliseconds
  EXPECT_EQ(DouyinTimeMs(99'999'999'999), 99'999'999'999'000);
  EXPECT_EQ(DouyinTimeMs(100'000'000'000), 100'000'000'000);
}

}  // namespace
}  // namespace reel::http
