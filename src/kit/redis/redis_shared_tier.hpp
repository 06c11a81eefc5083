#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>

#include "kit/cache/shared_tier.hpp"
#include "kit/redis/redis_client.hpp"
#include "kit/redis/redis_subscriber.hpp"

namespace reel::redis {

/// The caches' shared tier on one Redis server (docs/architecture.md, "Caches across
/// replicas").
///
/// An entry is a hash `<prefix>c:<epoch>:<cache>:<key>` with fields v (the key's version)
/// and d (the value's bytes), expiring `ttl` after it was last stored or invalidated. Every
/// operation is one Lua script, so it is one round trip and atomic:
/// - Get returns each key's bytes and "<epoch>:<version>";
/// - Put stores a value only if the epoch and the key's version are still those Get saw;
/// - Invalidate raises the versions, drops the values and PUBLISHes the keys to the other
///   processes, in the same script: whoever reads after it sees the new version.
/// The epoch (key `<prefix>c:epoch`) is read inside each script, so raising it empties the
/// whole tier at once. It is raised by InvalidateAll, and by a process whose invalidation
/// could not reach the server, when the server answers again: what the tier held may have
/// gone stale while that process's writes went unannounced.
///
/// Coherence: the subscriber's connection carries every process's invalidations. While it
/// is down this process is not Coherent() (its caches read the store); when it is restored
/// every listener is flushed before the caches may serve again, as messages may have been
/// lost. A raise this process owes makes it not Coherent() either, until a background thread
/// has made it. Thread-safe.
class RedisSharedTier final : public cache::SharedTier {
 public:
  struct Options {
    /// Every key and the channel start with it (redis.key_prefix).
    std::string prefix = "reel:";
    /// How long entries and versions live untouched. A versions' lifetime must exceed the
    /// longest load from the store (milliseconds), which ten minutes does by far.
    std::chrono::milliseconds ttl = std::chrono::minutes(10);
    /// How often an owed epoch raise is retried while the server does not answer.
    std::chrono::milliseconds retry = std::chrono::milliseconds(200);
  };

  /// Subscribes (on a connection of its own, with `client`'s options) right away; the tier
  /// is Coherent() once that succeeded. `client` must outlive the tier.
  RedisSharedTier(RedisClient& client, Options options);
  ~RedisSharedTier() override;

  bool Coherent() const override;
  std::vector<cache::SharedEntry> Get(std::string_view cache,
                                      std::span<const std::string> keys) override;
  void Put(std::string_view cache, std::span<const cache::SharedPut> entries) override;
  bool Invalidate(std::string_view cache, std::span<const std::string> keys) override;
  bool InvalidateAll(std::string_view cache, bool values_shared) override;
  std::uint64_t Listen(std::string_view cache,
                       std::function<void(std::span<const std::string> keys)> listener) override;
  void Unlisten(std::uint64_t listener) override;

  /// Waits until Coherent() (start-up, tests); false after `timeout`.
  bool WaitCoherent(std::chrono::milliseconds timeout) const;
  /// Times this process emptied its caches because it may have missed invalidations.
  std::int64_t flushes() const { return flushes_.load(); }
  /// Calls to the server that failed (the caches read the store instead).
  std::int64_t failures() const { return failures_.load(); }

 private:
  struct Listener {
    std::string cache;
    std::function<void(std::span<const std::string>)> call;
  };

  void OnMessage(std::string_view message);
  void OnReconnect();
  /// Calls the listeners of `cache` (every cache when empty) with `keys`.
  void Notify(std::string_view cache, std::span<const std::string> keys);
  /// Raises the epoch and tells every process to flush. False when the server did not answer.
  bool RaiseEpoch(std::string_view cache_or_star);
  void OweRaise();
  /// Raises the epoch if an invalidation failed since the last raise. False when it could not.
  bool PayOwedRaise();
  void RunRetries(std::stop_token stop);

  RedisClient& client_;
  const Options options_;
  const std::string origin_;  // this process's mark on its messages, which it ignores
  const std::string channel_;
  const std::string epoch_key_;
  const std::string entry_prefix_;  // "<prefix>c:"

  /// Invalidations that did not reach the server since the last epoch raise.
  std::atomic<std::int64_t> owed_raises_{0};
  std::atomic<std::int64_t> flushes_{0};
  std::atomic<std::int64_t> failures_{0};

  std::shared_mutex listeners_mutex_;
  std::map<std::uint64_t, Listener> listeners_;
  std::uint64_t next_listener_ = 1;

  std::mutex retry_mutex_;
  std::condition_variable_any retry_wanted_;
  std::unique_ptr<RedisSubscriber> subscriber_;
  std::jthread retries_;  // last: it starts once the members above exist
};

}  // namespace reel::redis
