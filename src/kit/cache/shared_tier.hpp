#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reel::cache {

/// One key's entry in the shared tier, as Get found it.
struct SharedEntry {
  /// The stored bytes; nullopt: nothing stored (a miss).
  std::optional<std::string> bytes;
  /// The key's version when it was read: Put stores a value loaded after this read only if
  /// the version is still this one, that is, if no process invalidated the key meanwhile.
  std::string version;
};

/// A value loaded from the store, to be shared if its key has not moved since `version`.
struct SharedPut {
  std::string key;
  std::string version;
  std::string bytes;
};

/// The second level behind a process's in-memory caches, shared by every process of a
/// deployment (Redis: kit/redis/redis_shared_tier.hpp), and the channel that carries each
/// process's invalidations to the others' memory.
///
/// The protocol (docs/architecture.md, "Caches across replicas"): a writer, after its
/// commit, invalidates a key here, which raises the key's version, drops its shared value
/// and tells every other process, which drops the key from memory and refuses values it was
/// loading meanwhile (the in-memory cache's generations). A reader that misses everywhere
/// notes the version before it loads from the store and shares what it loaded only if the
/// version has not moved. So a value loaded before an invalidation is never stored, in
/// memory or in the tier, after it, in any process.
///
/// Nothing here throws: an unreachable server makes Get a miss, Put and Invalidate no-ops,
/// and Coherent() false, and the caches then read the store. Thread-safe.
class SharedTier {
 public:
  virtual ~SharedTier() = default;

  /// Whether this process hears every invalidation made anywhere now. While it does not
  /// (the server is down, or the subscription is being restored) the in-memory caches must
  /// not serve, and when it does again every in-memory entry must be dropped: Listen's
  /// listeners are called with no keys for that.
  virtual bool Coherent() const = 0;

  /// The entries of `keys` of cache `cache` (one per key, in order), in one round trip.
  /// Empty when the tier cannot be reached.
  virtual std::vector<SharedEntry> Get(std::string_view cache,
                                       std::span<const std::string> keys) = 0;

  /// Stores each entry unless its key's version moved since it was read, in one round trip.
  virtual void Put(std::string_view cache, std::span<const SharedPut> entries) = 0;

  /// Raises the versions of `keys`, drops their shared values and tells the other
  /// processes; call after the commit. False when the tier could not be reached: then the
  /// others cannot have been told either, and the tier makes them flush when it is back.
  virtual bool Invalidate(std::string_view cache, std::span<const std::string> keys) = 0;

  /// Invalidate for every key of `cache`.
  virtual bool InvalidateAll(std::string_view cache) = 0;

  /// Calls `listener` on the tier's thread with the keys of `cache` another process
  /// invalidated, and with no keys when every entry of it must go (another process flushed
  /// it, or this one may have missed invalidations). Register before the process serves.
  virtual void Listen(std::string_view cache,
                      std::function<void(std::span<const std::string> keys)> listener) = 0;
};

/// How a cache names itself and its keys and values in a SharedTier. `encode`/`decode`
/// may be left empty for a cache that shares only its invalidations (its values stay in
/// each process's memory).
template <class Key, class Value>
struct SharedBinding {
  SharedTier* tier = nullptr;
  std::string name;
  std::function<std::string(const Key&)> key_text;
  std::function<Key(std::string_view)> key_of;
  std::function<std::string(const Value&)> encode;
  /// nullopt: the bytes do not decode (another version's format): a miss.
  std::function<std::optional<Value>(std::string_view)> decode;
};

}  // namespace reel::cache
