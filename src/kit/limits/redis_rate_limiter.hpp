#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kit/clock/clock.hpp"
#include "kit/limits/keyed_rate_limiter.hpp"
#include "kit/limits/rate_limiter.hpp"
#include "kit/limits/redis_outage.hpp"

namespace reel::redis {
class RedisClient;
}

namespace reel::limits {

struct RedisRateLimiterOptions {
  /// Before every key (config redis.key_prefix): "<key_prefix>rl:<name>:<key>".
  std::string key_prefix = "reel:";
  /// After Redis failed, how long the limiters sharing a RedisOutage decide locally
  /// before one of them asks Redis again.
  std::chrono::milliseconds backoff{1000};
  /// At most one warning per this while Redis keeps failing.
  std::chrono::seconds warn_every{30};
  /// The local fallback's bound on buckets, per limiter.
  std::size_t local_max_keys = 100'000;
};

/// Token buckets in Redis, shared by every replica that uses the same Redis, key prefix and
/// limiter name: N replicas give a client one budget, not N. Same buckets as
/// KeyedRateLimiter (burst, rate, retry_after at least one second), refilled by the Redis
/// server's clock, so replicas whose clocks differ still agree. One round trip per
/// decision (a Lua script, atomic on the server); a bucket expires once it would be full
/// again, so idle keys cost nothing.
///
/// Fails open to local limits, never to refusing everything: when Redis cannot be reached
/// (redis::RedisError), or during the RedisOutage's backoff after that, the decision is
/// made by a KeyedRateLimiter in this process (counted by fallbacks()), and once Redis
/// answers again the shared buckets decide again. Thread-safe.
class RedisRateLimiter final : public RateLimiter {
 public:
  /// `redis` and `clock` must outlive the limiter. `outage` may be shared by the limiters
  /// on one Redis; null: one of its own.
  RedisRateLimiter(redis::RedisClient& redis, std::string_view name, Rate rate, const Clock& clock,
                   const RedisRateLimiterOptions& options = {},
                   std::shared_ptr<RedisOutage> outage = nullptr);

  Decision Take(std::string_view key, double cost = 1) override;
  Decision Peek(std::string_view key) override;
  const Rate& rate() const override { return rate_; }

  /// Decisions made by the local fallback because Redis failed or was being skipped.
  std::uint64_t fallbacks() const { return fallbacks_.load(); }
  /// The Redis key of `key`'s bucket.
  std::string BucketKey(std::string_view key) const;

 private:
  Decision Apply(std::string_view key, double cost, bool consume);

  redis::RedisClient& redis_;
  const std::string name_;
  const std::string key_prefix_;  // "<prefix>rl:<name>:"
  const Rate rate_;
  std::shared_ptr<RedisOutage> outage_;
  KeyedRateLimiter local_;
  std::atomic<std::uint64_t> fallbacks_{0};
};

/// A factory of RedisRateLimiters on `redis` sharing one RedisOutage. `redis` and `clock`
/// must outlive the limiters.
RateLimiterFactory RedisRateLimiters(redis::RedisClient& redis, const Clock& clock,
                                     RedisRateLimiterOptions options = {});

/// RedisRateLimiters on `redis`, or LocalRateLimiters when it is null (no Redis configured).
RateLimiterFactory SharedOrLocalRateLimiters(redis::RedisClient* redis, const Clock& clock,
                                             RedisRateLimiterOptions options = {});

}  // namespace reel::limits
