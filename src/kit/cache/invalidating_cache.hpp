#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "kit/cache/change_epoch.hpp"
#include "kit/cache/shard_index.hpp"

namespace reel::cache {

/// A bounded in-process cache of values read from a store, kept correct by the writers:
/// whoever changes the store calls `Invalidate(key)` after the change is committed.
///
/// The race it closes: a reader loads an old value, a writer commits and invalidates, and
/// the reader then stores the old value, which would stay until the next write. Each shard
/// has a generation that every invalidation raises; a reader notes the generation before it
/// loads and stores what it loaded only when the generation has not moved since. So a value
/// in the cache was read after the last invalidation of its key, and an invalidation made
/// after a commit hides every value read before that commit.
///
/// Keys the loader does not return are cached as absent (a user that does not exist, a video
/// without comments) until they are invalidated, so writers invalidate on creation too.
/// When a shard reaches its share of `capacity` it is emptied: memory stays bounded and the
/// hot entries come back on the next reads. Every invalidation also advances `epoch`, when
/// given: the process-wide count of store changes that renderings built from several
/// caches are checked against. Thread-safe.
template <class Key, class Value, class Hash = std::hash<Key>>
class InvalidatingCache {
 public:
  using Map = std::unordered_map<Key, Value, Hash>;

  explicit InvalidatingCache(std::size_t capacity, ChangeEpoch* epoch = nullptr)
      : per_shard_(std::max<std::size_t>(1, capacity / kShards)), epoch_(epoch) {}
  InvalidatingCache(const InvalidatingCache&) = delete;
  InvalidatingCache& operator=(const InvalidatingCache&) = delete;

  /// The values of `keys` that exist: cached ones as they are, the rest from
  /// `load(std::span<const Key> missing) -> Map`, one call for all misses (none when every
  /// key is cached). Duplicate keys are fine.
  template <class Load>
  Map GetMany(std::span<const Key> keys, Load&& load) {
    Map found;
    std::vector<Key> missing;
    std::vector<std::uint64_t> generations;  // of each missing key's shard, before the load
    for (const Key& key : keys) {
      Shard& shard = ShardOf(key);
      std::lock_guard lock(shard.mutex);
      if (auto it = shard.entries.find(key); it != shard.entries.end()) {
        if (it->second) found.try_emplace(key, *it->second);
        continue;
      }
      missing.push_back(key);
      generations.push_back(shard.generation);
    }
    if (missing.empty()) return found;
    Map loaded = load(std::span<const Key>(missing));
    for (std::size_t i = 0; i < missing.size(); ++i) {
      const Key& key = missing[i];
      auto it = loaded.find(key);
      std::optional<Value> value;
      if (it != loaded.end()) value = it->second;
      Shard& shard = ShardOf(key);
      {
        std::lock_guard lock(shard.mutex);
        if (shard.generation == generations[i]) {
          if (shard.entries.size() >= per_shard_) shard.entries.clear();
          shard.entries.insert_or_assign(key, value);
        }
      }
      if (value) found.try_emplace(key, std::move(*value));
    }
    return found;
  }

  /// One key: its value, or nullopt when `load(key) -> std::optional<Value>` says it is absent.
  template <class Load>
  std::optional<Value> Get(const Key& key, Load&& load) {
    const Key keys[] = {key};
    Map found = GetMany(std::span<const Key>(keys), [&](std::span<const Key>) {
      Map one;
      if (std::optional<Value> value = load(key)) one.emplace(key, std::move(*value));
      return one;
    });
    auto it = found.find(key);
    if (it == found.end()) return std::nullopt;
    return std::move(it->second);
  }

  /// Drops `key` and refuses values loaded before this call. Call after the commit.
  void Invalidate(const Key& key) {
    Shard& shard = ShardOf(key);
    std::lock_guard lock(shard.mutex);
    shard.entries.erase(key);
    ++shard.generation;
    if (epoch_) epoch_->Advance();
  }

  /// Invalidate for every key: for changes whose keys the writer does not know one by one.
  void InvalidateAll() {
    for (Shard& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      shard.entries.clear();
      ++shard.generation;
    }
    if (epoch_) epoch_->Advance();
  }

  /// Entries held, present and absent (for tests and memory estimates).
  std::size_t size() const {
    std::size_t n = 0;
    for (const Shard& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      n += shard.entries.size();
    }
    return n;
  }

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<Key, std::optional<Value>, Hash> entries;
    std::uint64_t generation = 0;
  };
  Shard& ShardOf(const Key& key) { return shards_[ShardIndex(Hash{}(key), kShards)]; }

  std::size_t per_shard_;
  ChangeEpoch* epoch_;
  std::array<Shard, kShards> shards_;
};

}  // namespace reel::cache
