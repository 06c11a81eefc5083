#include "kit/http/douyin_time.hpp"

namespace reel::http {

std::int64_t DouyinTimeMs(std::int64_t seconds_or_ms) {
  constexpr std::int64_t kSecondsBelow = 100'000'000'000;
  if (seconds_or_ms <= 0) return 0;
  return seconds_or_ms < kSecondsBelow ? seconds_or_ms * 1000 : seconds_or_ms;
}

}  // namespace reel::http
