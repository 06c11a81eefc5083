#pragma once

#include <cstdint>

namespace reel::feed {

/// Videos per feed page, as the Douyin clients expect.
inline constexpr int kFeedPageSize = 30;

/// The feed's `latest_time` as an exclusive upper bound in milliseconds. Clients send
/// seconds or milliseconds; values below 10^11 (year 5138 in seconds, 1973 in milliseconds)
/// are taken as seconds. 0 or absent means no bound (the newest videos).
std::int64_t FeedBoundMs(std::int64_t latest_time);

}  // namespace reel::feed
