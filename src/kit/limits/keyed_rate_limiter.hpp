#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kit/clock/clock.hpp"
#include "kit/limits/rate_limiter.hpp"

namespace reel::limits {

/// Token buckets in this process's memory, one per key, created full on first use.
/// Memory is bounded: when a shard outgrows its share of `max_keys`, buckets that have
/// refilled completely are dropped (a dropped bucket comes back full, which is exactly
/// its state), and if that is not enough the shard starts over.
/// Thread-safe; keys are spread over shards to keep lock contention low.
class KeyedRateLimiter final : public RateLimiter {
 public:
  KeyedRateLimiter(Rate rate, const Clock& clock, std::size_t max_keys = 100'000);

  Decision Take(std::string_view key, double cost = 1) override;
  Decision Peek(std::string_view key) override;
  const Rate& rate() const override { return rate_; }

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
