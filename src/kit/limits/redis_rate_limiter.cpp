#include "kit/limits/redis_rate_limiter.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>
#include <vector>

#include "kit/redis/redis_client.hpp"

namespace reel::limits {
namespace {

// One bucket, KEYS[1]: a hash of `tokens` and `at`, the Redis server's time (microseconds)
// they were counted at. ARGV: rate (tokens a second), burst, cost, and "1" to take or "0"
// to peek. Returns {1, 0} when the bucket holds `cost` tokens, else {0, seconds until it
// will} (at least 1), as KeyedRateLimiter decides. The server's clock, not the replicas',
// so replicas whose clocks disagree still count one bucket alike. A missing bucket is a
// full one, so a bucket is kept only until it would be full again.
constexpr std::string_view kBucketScript = R"lua(
local rate, burst, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(stored[1]), tonumber(stored[2])
if tokens == nil or at == nil then
  tokens, at = burst, now
elseif now > at then
  tokens, at = math.min(burst, tokens + (now - at) / 1e6 * rate), now
end
if tokens >= cost then
  if ARGV[4] == '1' then
    tokens = tokens - cost
    redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens),
               'at', string.format('%d', at))
    local full_ms = 86400000
    if rate > 0 then full_ms = math.ceil((burst - tokens) / rate * 1000) end
    redis.call('PEXPIRE', KEYS[1], string.format('%d', math.max(1, full_ms)))
  end
  return {1, 0}
end
local wait = 3600
if rate > 0 then wait = math.ceil((cost - tokens) / rate) end
return {0, math.max(1, wait)}
)lua";

// Shortest text that reads back as the same double (Lua's tonumber reads it).
std::string NumberArg(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// The script's {allowed, retry_after}, or nullopt for anything else.
std::optional<Decision> DecisionOf(const redis::RedisReply& reply) {
  using Type = redis::RedisReply::Type;
  if (reply.type() != Type::kArray || reply.elements().size() != 2) return std::nullopt;
  const auto& allowed = reply.elements()[0];
  const auto& retry_after = reply.elements()[1];
  if (allowed.type() != Type::kInteger || retry_after.type() != Type::kInteger) {
    return std::nullopt;
  }
  if (allowed.integer() == 1) return Decision{};
  return Decision{false, std::chrono::seconds(std::max<std::int64_t>(1, retry_after.integer()))};
}

}  // namespace

RedisRateLimiter::RedisRateLimiter(redis::RedisClient& redis, std::string_view name, Rate rate,
                                   const Clock& clock, const RedisRateLimiterOptions& options,
                                   std::shared_ptr<RedisOutage> outage)
    : redis_(redis),
      name_(name),
      key_prefix_(options.key_prefix + "rl:" + std::string(name) + ":"),
      rate_(rate),
      outage_(outage ? std::move(outage)
                     : std::make_shared<RedisOutage>(clock, options.backoff, options.warn_every)),
      local_(rate, clock, options.local_max_keys) {}

std::string RedisRateLimiter::BucketKey(std::string_view key) const {
  return key_prefix_ + std::string(key);
}

Decision RedisRateLimiter::Apply(std::string_view key, double cost, bool consume) {
  if (outage_->ShouldTry()) {
    try {
      const redis::RedisReply reply = redis_.EvalScript(
          kBucketScript, {BucketKey(key)},
          {NumberArg(rate_.rate), NumberArg(rate_.burst), NumberArg(cost), consume ? "1" : "0"});
      outage_->Succeeded();
      if (auto decision = DecisionOf(reply)) return *decision;
      outage_->Failed(name_, "unexpected reply " + reply.Describe(), /*unreachable=*/false);
    } catch (const redis::RedisError& e) {
      outage_->Failed(name_, e.what(), e.unavailable());
    }
  }
  // Fail open to this process's buckets: a client gets at most one budget per replica
  // while Redis is away, never none.
  fallbacks_.fetch_add(1, std::memory_order_relaxed);
  return consume ? local_.Take(key, cost) : local_.Peek(key);
}

Decision RedisRateLimiter::Take(std::string_view key, double cost) {
  return Apply(key, cost, true);
}

Decision RedisRateLimiter::Peek(std::string_view key) {
  return Apply(key, 1, false);
}

RateLimiterFactory RedisRateLimiters(redis::RedisClient& redis, const Clock& clock,
                                     RedisRateLimiterOptions options) {
  auto outage = std::make_shared<RedisOutage>(clock, options.backoff, options.warn_every);
  return [&redis, &clock, options = std::move(options), outage](
             std::string_view name, const Rate& rate) -> std::unique_ptr<RateLimiter> {
    return std::make_unique<RedisRateLimiter>(redis, name, rate, clock, options, outage);
  };
}

RateLimiterFactory SharedOrLocalRateLimiters(redis::RedisClient* redis, const Clock& clock,
                                             RedisRateLimiterOptions options) {
  if (redis == nullptr) return LocalRateLimiters(clock, options.local_max_keys);
  return RedisRateLimiters(*redis, clock, std::move(options));
}

}  // namespace reel::limits
