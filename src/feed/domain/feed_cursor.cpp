#include "feed/domain/feed_cursor.hpp"

namespace reel::feed {

std::int64_t FeedBoundMs(std::int64_t latest_time) {
  constexpr std::int64_t kSecondsBelow = 100'000'000'000;
  if (latest_time <= 0) return 0;
  return latest_time < kSecondsBelow ? latest_time * 1000 : latest_time;
}

}  // namespace reel::feed
