#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

#include "kit/clock/clock.hpp"

namespace reel::limits {

/// A token bucket: holds at most `burst` tokens and gains `rate` per second.
struct Rate {
  double rate = 10;
  double burst = 20;
};

struct Decision {
  bool allowed = true;
  /// When refused: how long until a token is available (at least one second).
  std::chrono::seconds retry_after{0};
};

/// Token buckets by key (client IP, user id, username), each created full on first use.
/// Implementations: KeyedRateLimiter (this process's memory), RedisRateLimiter (shared by
/// the replicas of a deployment). Thread-safe.
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;

  /// Takes `cost` tokens from `key`'s bucket if it holds that many.
  virtual Decision Take(std::string_view key, double cost = 1) = 0;

  /// Whether `key`'s bucket holds at least one token, without taking it.
  virtual Decision Peek(std::string_view key) = 0;

  virtual const Rate& rate() const = 0;
};

/// Makes the limiter of one group of buckets. `name` ("default.ip", "login.name") keeps the
/// groups apart where buckets are shared (RedisRateLimiter's keys); a limiter in memory
/// ignores it.
using RateLimiterFactory =
    std::function<std::unique_ptr<RateLimiter>(std::string_view name, const Rate& rate)>;

/// A factory of KeyedRateLimiters on `clock` (which must outlive them), each holding at most
/// about `max_keys` buckets.
RateLimiterFactory LocalRateLimiters(const Clock& clock, std::size_t max_keys = 100'000);

}  // namespace reel::limits
