#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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

/// One token bucket per key (client IP, user id, username), created full on first use.
/// Memory is bounded: when a shard outgrows its share of `max_keys`, buckets that have
/// refilled completely are dropped (a dropped bucket comes back full, which is exactly
/// its state), and if that is not enough the shard starts over.
/// Thread-safe; keys are spread over shards to keep lock contention low.
class KeyedRateLimiter {
 public:
  KeyedRateLimiter(Rate rate, const Clock& clock, std::size_t max_keys = 100'000);

  /// Takes `cost` tokens from `key`'s bucket if it holds that many.
  Decision Take(std::string_view key, double cost = 1);

  /// Whether `key`'s bucket holds at least one token, without taking it.
  Decision Peek(std::string_view key);

  const Rate& rate() const { return rate_; }

  /// How many buckets are held now (for metrics and tests).
  std::size_t KeyCount();

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Bucket> buckets;
  };

  Decision Apply(std::string_view key, double cost, bool consume);
  void Refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;
  void Evict(Shard& shard, std::chrono::steady_clock::time_point now);

  Rate rate_;
  const Clock& clock_;
  std::size_t max_keys_per_shard_;
  std::vector<Shard> shards_;
};

}  // namespace reel::limits
