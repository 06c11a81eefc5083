#pragma once

#include <charconv>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kit/cache/byte_codec.hpp"

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
  /// How long the tier keeps it unread; 0: the tier's default.
  std::chrono::milliseconds ttl{0};
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

  /// Invalidate for every key of `cache`: tells the other processes to drop all of it, and
  /// when `values_shared` empties the tier (every cache's values: the tier cannot list one
  /// cache's keys; such changes are rare).
  virtual bool InvalidateAll(std::string_view cache, bool values_shared) = 0;

  /// Calls `listener` on the tier's thread with the keys of `cache` another process
  /// invalidated, and with no keys when every entry of it must go (another process flushed
  /// it, or this one may have missed invalidations). Returns what Unlisten takes.
  virtual std::uint64_t Listen(std::string_view cache,
                               std::function<void(std::span<const std::string> keys)> listener) = 0;
  /// Stops calling a listener; when it returns, the listener is not running.
  virtual void Unlisten(std::uint64_t listener) = 0;
};

/// How a cache names itself and its keys and values in a SharedTier. `encode`/`decode`
/// may be left empty for a cache that shares only its invalidations (its values stay in
/// each process's memory).
template <class Key, class Value>
struct SharedBinding {
  SharedTier* tier = nullptr;
  std::string name;
  std::function<std::string(const Key&)> key_text;
  /// nullopt: not a key of this cache (a message from another version): ignored.
  std::function<std::optional<Key>(std::string_view)> key_of;
  std::function<std::string(const Value&)> encode;
  /// nullopt: the bytes do not decode (another version's format): a miss.
  std::function<std::optional<Value>(std::string_view)> decode;
  /// How long a value is kept in the tier (a session: until its token expires); empty or
  /// 0: the tier's default.
  std::function<std::chrono::milliseconds(const Value&)> ttl_of;
};

/// A binding for a cache keyed by id (the decimal id is the key's text).
template <class Value>
SharedBinding<std::int64_t, Value> IdKeyed(
    SharedTier* tier, std::string name, std::function<std::string(const Value&)> encode = {},
    std::function<std::optional<Value>(std::string_view)> decode = {}) {
  return {.tier = tier,
          .name = std::move(name),
          .key_text = [](const std::int64_t& id) { return std::to_string(id); },
          .key_of = [](std::string_view text) -> std::optional<std::int64_t> {
            std::int64_t id = 0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
            if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
            return id;
          },
          .encode = std::move(encode),
          .decode = std::move(decode)};
}

/// A binding for a count keyed by id, shared as its decimal text.
inline SharedBinding<std::int64_t, std::int64_t> CountShared(SharedTier* tier, std::string name) {
  return IdKeyed<std::int64_t>(
      tier, std::move(name), [](const std::int64_t& count) { return std::to_string(count); },
      [](std::string_view text) -> std::optional<std::int64_t> {
        std::int64_t count = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
        if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
        return count;
      });
}

/// A binding for values keyed by id whose bytes are their fields, listed once:
/// `fields(io, value)` calls `io.Field(value.member)` for each member, in order, and the
/// same list writes (io a ByteWriter) and reads (a ByteReader). `format` starts the bytes;
/// raise it when the list changes, and entries of the old format read as misses.
template <class Value, class Fields>
SharedBinding<std::int64_t, Value> IdKeyedFields(SharedTier* tier, std::string name,
                                                 std::int64_t format, Fields fields) {
  return IdKeyed<Value>(
      tier, std::move(name),
      [format, fields](const Value& value) {
        ByteWriter out;
        out.Int(format);
        fields(out, value);
        return out.Take();
      },
      [format, fields](std::string_view bytes) -> std::optional<Value> {
        ByteReader in(bytes);
        if (in.Int() != format) return std::nullopt;
        Value value;
        fields(in, value);
        if (!in.ok()) return std::nullopt;
        return value;
      });
}

}  // namespace reel::cache
