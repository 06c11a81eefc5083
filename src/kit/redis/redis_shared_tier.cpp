#include "kit/redis/redis_shared_tier.hpp"

#include <algorithm>
#include <random>

#include "kit/log/log.hpp"

namespace reel::redis {
namespace {

// Every script reads the epoch itself: a process never builds a key from an epoch it may
// not have heard of yet. ARGV[1] entry prefix, ARGV[2] epoch key, ARGV[3] cache name.

// ARGV[4..]: keys. Returns per key "<epoch>:<version>" and the bytes (nil when none).
constexpr std::string_view kGetScript = R"(
local epoch = redis.call('GET', ARGV[2]) or '0'
local base = ARGV[1] .. epoch .. ':' .. ARGV[3] .. ':'
local out = {}
for i = 4, #ARGV do
  local entry = redis.call('HMGET', base .. ARGV[i], 'v', 'd')
  out[#out + 1] = epoch .. ':' .. (entry[1] or '0')
  out[#out + 1] = entry[2]
end
return out
)";

// ARGV[4] the default ttl (ms), then (key, "<epoch>:<version>" as Get returned it, bytes,
// ttl or 0) quadruples. Stores only where neither the epoch nor the key's version moved
// since that Get.
constexpr std::string_view kPutScript = R"(
local epoch = redis.call('GET', ARGV[2]) or '0'
local base = ARGV[1] .. epoch .. ':' .. ARGV[3] .. ':'
local stored = 0
for i = 5, #ARGV, 4 do
  local key = base .. ARGV[i]
  local version = redis.call('HGET', key, 'v') or '0'
  if epoch .. ':' .. version == ARGV[i + 1] then
    redis.call('HSET', key, 'v', version, 'd', ARGV[i + 2])
    local ttl = ARGV[i + 3]
    if ttl == '0' then ttl = ARGV[4] end
    redis.call('PEXPIRE', key, ttl)
    stored = stored + 1
  end
end
return stored
)";

// ARGV[4] ttl (ms), ARGV[5] channel, ARGV[6] message, ARGV[7..] keys. Raises each key's
// version and drops its value, then tells the other processes.
constexpr std::string_view kInvalidateScript = R"(
local epoch = redis.call('GET', ARGV[2]) or '0'
local base = ARGV[1] .. epoch .. ':' .. ARGV[3] .. ':'
for i = 7, #ARGV do
  local key = base .. ARGV[i]
  redis.call('HINCRBY', key, 'v', 1)
  redis.call('HDEL', key, 'd')
  redis.call('PEXPIRE', key, ARGV[4])
end
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
)";

// ARGV[1] epoch key, ARGV[2] channel, ARGV[3] message: empties the tier, tells everyone.
constexpr std::string_view kRaiseScript = R"(
redis.call('INCR', ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
)";

std::string RandomOrigin() {
  std::random_device random;
  const std::uint64_t bits = (std::uint64_t{random()} << 32) ^ random();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) out.push_back(kHex[(bits >> (i * 4)) & 0xF]);
  return out;
}

// A message: "<origin>\n<cache>\n<key>\n<key>..."; cache "*" means every cache, no keys
// means every key of the cache.
std::string MessageOf(std::string_view origin, std::string_view cache,
                      std::span<const std::string> keys) {
  std::string message;
  message.append(origin).append("\n").append(cache);
  for (const std::string& key : keys) message.append("\n").append(key);
  return message;
}

}  // namespace

RedisSharedTier::RedisSharedTier(RedisClient& client, Options options)
    : client_(client),
      options_(std::move(options)),
      origin_(RandomOrigin()),
      channel_(options_.prefix + "cache"),
      epoch_key_(options_.prefix + "c:epoch"),
      entry_prefix_(options_.prefix + "c:") {
  subscriber_ = std::make_unique<RedisSubscriber>(
      client_.options(), std::vector<std::string>{channel_},
      [this](std::string_view, std::string_view message) { OnMessage(message); },
      [this] { OnReconnect(); });
  retries_ = std::jthread([this](std::stop_token stop) { RunRetries(stop); });
}

RedisSharedTier::~RedisSharedTier() {
  retries_.request_stop();
  retry_wanted_.notify_all();
  if (retries_.joinable()) retries_.join();
  subscriber_.reset();  // no message reaches a listener after this
}

bool RedisSharedTier::Coherent() const {
  return subscriber_->subscribed() && owed_raises_.load(std::memory_order_acquire) == 0;
}

bool RedisSharedTier::WaitCoherent(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!Coherent()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::vector<cache::SharedEntry> RedisSharedTier::Get(std::string_view cache,
                                                     std::span<const std::string> keys) {
  if (keys.empty()) return {};
  std::vector<std::string> args = {entry_prefix_, epoch_key_, std::string(cache)};
  args.insert(args.end(), keys.begin(), keys.end());
  try {
    const RedisReply reply = client_.EvalScript(kGetScript, {}, args);
    const auto& items = reply.elements();
    if (items.size() != keys.size() * 2) return {};
    std::vector<cache::SharedEntry> entries(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      entries[i].version = items[2 * i].str();
      if (!items[2 * i + 1].is_nil()) entries[i].bytes = items[2 * i + 1].str();
    }
    return entries;
  } catch (const RedisError&) {
    failures_.fetch_add(1);
    return {};
  }
}

void RedisSharedTier::Put(std::string_view cache, std::span<const cache::SharedPut> entries) {
  if (entries.empty()) return;
  std::vector<std::string> args = {entry_prefix_, epoch_key_, std::string(cache),
                                   std::to_string(options_.ttl.count())};
  for (const cache::SharedPut& entry : entries) {
    args.push_back(entry.key);
    args.push_back(entry.version);
    args.push_back(entry.bytes);
    args.push_back(std::to_string(std::max<std::int64_t>(0, entry.ttl.count())));
  }
  try {
    client_.EvalScript(kPutScript, {}, args);
  } catch (const RedisError&) {
    failures_.fetch_add(1);  // only a copy is lost; the next reader loads it again
  }
}

bool RedisSharedTier::Invalidate(std::string_view cache, std::span<const std::string> keys) {
  if (keys.empty()) return true;
  if (!subscriber_->subscribed()) {
    // The server is away (or just back and not yet listened to): asking it would cost each
    // write a timeout. What the tier holds is emptied once it answers again.
    OweRaise();
    return false;
  }
  std::vector<std::string> args = {entry_prefix_,      epoch_key_,
                                   std::string(cache), std::to_string(options_.ttl.count()),
                                   channel_,           MessageOf(origin_, cache, keys)};
  args.insert(args.end(), keys.begin(), keys.end());
  try {
    client_.EvalScript(kInvalidateScript, {}, args);
    return true;
  } catch (const RedisError& e) {
    failures_.fetch_add(1);
    log::Warn(
        "shared cache: an invalidation did not reach redis; the tier is emptied when it is back",
        {{"cache", std::string(cache)}, {"error", e.what()}});
    OweRaise();
    return false;
  }
}

bool RedisSharedTier::InvalidateAll(std::string_view cache, bool values_shared) {
  if (subscriber_->subscribed()) {
    try {
      if (values_shared) {
        if (RaiseEpoch(cache)) return true;
      } else {
        client_.Publish(channel_, MessageOf(origin_, cache, {}));
        return true;
      }
    } catch (const RedisError&) {
      failures_.fetch_add(1);
    }
  }
  OweRaise();
  return false;
}

std::uint64_t RedisSharedTier::Listen(
    std::string_view cache, std::function<void(std::span<const std::string> keys)> listener) {
  std::unique_lock lock(listeners_mutex_);
  const std::uint64_t id = next_listener_++;
  listeners_.emplace(id, Listener{std::string(cache), std::move(listener)});
  return id;
}

void RedisSharedTier::Unlisten(std::uint64_t listener) {
  std::unique_lock lock(listeners_mutex_);  // waits for a call in progress
  listeners_.erase(listener);
}

void RedisSharedTier::Notify(std::string_view cache, std::span<const std::string> keys) {
  std::shared_lock lock(listeners_mutex_);
  for (const auto& [id, listener] : listeners_) {
    if (cache.empty() || listener.cache == cache) listener.call(keys);
  }
}

void RedisSharedTier::OnMessage(std::string_view message) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t end = message.find('\n', start);
    parts.emplace_back(message.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (parts.size() < 2 || parts[0] == origin_) return;  // malformed, or our own
  if (parts[1] == "*") {
    flushes_.fetch_add(1);
    Notify("", {});
    return;
  }
  Notify(parts[1], std::span<const std::string>(parts).subspan(2));
}

void RedisSharedTier::OnReconnect() {
  // Messages sent while no subscription was active are lost: forget everything. The
  // subscription is already active, so no invalidation made from now on is missed.
  flushes_.fetch_add(1);
  Notify("", {});
  PayOwedRaise();
}

bool RedisSharedTier::PayOwedRaise() {
  const std::int64_t owed = owed_raises_.load();
  if (owed == 0) return true;
  if (!RaiseEpoch("*")) return false;
  // Paid for those owed when it started; an invalidation that failed meanwhile owes another.
  std::int64_t expected = owed;
  owed_raises_.compare_exchange_strong(expected, 0);
  return true;
}

bool RedisSharedTier::RaiseEpoch(std::string_view cache_or_star) {
  try {
    client_.EvalScript(kRaiseScript, {},
                       {epoch_key_, channel_, MessageOf(origin_, cache_or_star, {})});
    return true;
  } catch (const RedisError&) {
    failures_.fetch_add(1);
    return false;
  }
}

void RedisSharedTier::OweRaise() {
  owed_raises_.fetch_add(1);
  retry_wanted_.notify_all();
}

void RedisSharedTier::RunRetries(std::stop_token stop) {
  std::unique_lock lock(retry_mutex_);
  while (!stop.stop_requested()) {
    retry_wanted_.wait(lock, stop, [this] { return owed_raises_.load() != 0; });
    if (stop.stop_requested()) break;
    lock.unlock();
    // Only over a live subscription: the flush it sends must reach this process's peers,
    // and OnReconnect pays it anyway when the subscription comes back.
    const bool raised = subscriber_->subscribed() && PayOwedRaise();
    lock.lock();
    if (!raised) retry_wanted_.wait_for(lock, stop, options_.retry, [] { return false; });
  }
}

}  // namespace reel::redis
