#include "kit/limits/keyed_rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

namespace reel::limits {
namespace {
constexpr std::size_t kShards = 16;
}

KeyedRateLimiter::KeyedRateLimiter(Rate rate, const Clock& clock, std::size_t max_keys)
    : rate_(rate),
      clock_(clock),
      max_keys_per_shard_(std::max<std::size_t>(1, max_keys / kShards)),
      shards_(kShards) {}

void KeyedRateLimiter::Refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const {
  const std::chrono::duration<double> elapsed = now - bucket.updated;
  if (elapsed.count() > 0) {
    bucket.tokens = std::min(rate_.burst, bucket.tokens + elapsed.count() * rate_.rate);
    bucket.updated = now;
  }
}

void KeyedRateLimiter::Evict(Shard& shard, std::chrono::steady_clock::time_point now) {
  for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
    Refill(it->second, now);
    it = it->second.tokens >= rate_.burst ? shard.buckets.erase(it) : std::next(it);
  }
  if (shard.buckets.size() >= max_keys_per_shard_) shard.buckets.clear();
}

Decision KeyedRateLimiter::Apply(std::string_view key, double cost, bool consume) {
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % kShards];
  const auto now = clock_.Monotonic();
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(std::string(key));
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= max_keys_per_shard_) Evict(shard, now);
    it = shard.buckets.emplace(std::string(key), Bucket{rate_.burst, now}).first;
  }
  Bucket& bucket = it->second;
  Refill(bucket, now);
  if (bucket.tokens >= cost) {
    if (consume) bucket.tokens -= cost;
    return {};
  }
  const double wait = rate_.rate > 0 ? (cost - bucket.tokens) / rate_.rate : 3600.0;
  return {false, std::chrono::seconds(std::max<long long>(1, std::llround(std::ceil(wait))))};
}

std::size_t KeyedRateLimiter::KeyCount() {
  std::size_t count = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    count += shard.buckets.size();
  }
  return count;
}

Decision KeyedRateLimiter::Take(std::string_view key, double cost) {
  return Apply(key, cost, true);
}
Decision KeyedRateLimiter::Peek(std::string_view key) {
  return Apply(key, 1, false);
}

RateLimiterFactory LocalRateLimiters(const Clock& clock, std::size_t max_keys) {
  return [&clock, max_keys](std::string_view, const Rate& rate) -> std::unique_ptr<RateLimiter> {
    return std::make_unique<KeyedRateLimiter>(rate, clock, max_keys);
  };
}

}  // namespace reel::limits
