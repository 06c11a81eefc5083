#pragma once

#include <cstdint>

namespace reel::http {

/// A time a Douyin client sends (the feed's `latest_time`, a chat's `pre_msg_time`) as
/// milliseconds. Clients send seconds or milliseconds; values below 10^11 (year 5138 in
/// seconds, 1973 in milliseconds) are taken as seconds. 0, negative or absent: 0, which the
/// routes read as "no bound".
std::int64_t DouyinTimeMs(std::int64_t seconds_or_ms);

}  // namespace reel::http
