#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "kit/cache/cache_metrics.hpp"
#include "kit/cache/change_epoch.hpp"
#include "kit/cache/shard_index.hpp"
#include "kit/cache/shared_tier.hpp"

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
/// caches are checked against.
///
/// With a SharedBinding (several processes over one store) the cache is the first level
/// in front of a SharedTier: misses are looked up there before the store, values loaded
/// from the store are shared under the version the tier had before the load, invalidations
/// reach the tier and through it every other process's memory, and while the tier cannot
/// promise that (SharedTier::Coherent) every read goes to the store. Thread-safe.
template <class Key, class Value, class Hash = std::hash<Key>>
class InvalidatingCache {
 public:
  using Map = std::unordered_map<Key, Value, Hash>;

  explicit InvalidatingCache(std::size_t capacity, ChangeEpoch* epoch = nullptr)
      : per_shard_(std::max<std::size_t>(1, capacity / kShards)), epoch_(epoch) {}
  /// Shared across processes through `shared.tier` (none when it is null).
  InvalidatingCache(std::size_t capacity, ChangeEpoch* epoch, SharedBinding<Key, Value> shared)
      : InvalidatingCache(capacity, epoch) {
    counters_ = CacheCounters(shared.name);
    if (shared.tier == nullptr) return;
    shared_ = std::make_unique<SharedBinding<Key, Value>>(std::move(shared));
    listener_ = shared_->tier->Listen(shared_->name, [this](std::span<const std::string> keys) {
      if (keys.empty()) return ForgetAll();
      for (const std::string& text : keys) {
        if (std::optional<Key> key = shared_->key_of(text)) Forget(*key);
      }
    });
  }
  ~InvalidatingCache() {
    if (shared_) shared_->tier->Unlisten(listener_);
  }
  InvalidatingCache(const InvalidatingCache&) = delete;
  InvalidatingCache& operator=(const InvalidatingCache&) = delete;

  /// The values of `keys` that exist: cached ones as they are, the rest from
  /// `load(std::span<const Key> missing) -> Map`, one call for all misses (none when every
  /// key is cached). Duplicate keys are fine.
  template <class Load>
  Map GetMany(std::span<const Key> keys, Load&& load) {
    if (shared_ && !shared_->tier->Coherent()) return load(keys);
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
    CacheCounters::Add(counters_.hit, keys.size() - missing.size());
    if (missing.empty()) return found;
    // What the shared tier knows of each missing key (absent: it does not), and which keys
    // the store must be asked for.
    std::vector<std::optional<std::optional<Value>>> shared_values(missing.size());
    std::vector<SharedEntry> entries;
    if (shared_ && shared_->encode) entries = FromTier(missing, shared_values);
    std::vector<Key> to_load;
    for (std::size_t i = 0; i < missing.size(); ++i) {
      if (!shared_values[i]) to_load.push_back(missing[i]);
    }
    CacheCounters::Add(counters_.shared_hit, missing.size() - to_load.size());
    CacheCounters::Add(counters_.miss, to_load.size());
    Map loaded;
    if (!to_load.empty()) loaded = load(std::span<const Key>(to_load));
    if (!entries.empty()) ShareLoaded(missing, shared_values, entries, loaded);
    for (std::size_t i = 0; i < missing.size(); ++i) {
      const Key& key = missing[i];
      std::optional<Value> value;
      if (shared_values[i]) {
        value = *shared_values[i];
      } else if (auto it = loaded.find(key); it != loaded.end()) {
        value = it->second;
      }
      Shard& shard = ShardOf(key);
      {
        std::lock_guard lock(shard.mutex);
        if (shard.generation == generations[i]) {
          if (shard.entries.size() >= per_shard_) {
            CacheCounters::Add(counters_.evicted, shard.entries.size());
            shard.entries.clear();
          }
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

  /// Drops `key` and refuses values loaded before this call, here and, when shared, in
  /// the tier and every other process. Call after the commit.
  void Invalidate(const Key& key) {
    Forget(key);
    if (shared_) {
      const std::string texts[] = {shared_->key_text(key)};
      shared_->tier->Invalidate(shared_->name, texts);
      // Again: a reader that missed here after the first Forget may have found the old
      // value still in the tier, and noted the generation that Forget left.
      if (shared_->encode) Forget(key);
    }
  }

  /// Invalidate for every key: for changes whose keys the writer does not know one by one.
  void InvalidateAll() {
    ForgetAll();
    if (shared_) {
      shared_->tier->InvalidateAll(shared_->name, static_cast<bool>(shared_->encode));
      if (shared_->encode) ForgetAll();  // as in Invalidate
    }
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

  // The in-memory half of Invalidate and InvalidateAll (what another process's invalidation
  // does here).
  void Forget(const Key& key) {
    Shard& shard = ShardOf(key);
    std::lock_guard lock(shard.mutex);
    shard.entries.erase(key);
    ++shard.generation;
    if (epoch_) epoch_->Advance();
  }
  void ForgetAll() {
    for (Shard& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      shard.entries.clear();
      ++shard.generation;
    }
    if (epoch_) epoch_->Advance();
  }

  // Shared entries are "0" (absent) or "1" and the value's bytes.
  std::vector<SharedEntry> FromTier(const std::vector<Key>& missing,
                                    std::vector<std::optional<std::optional<Value>>>& values) {
    std::vector<std::string> texts;
    texts.reserve(missing.size());
    for (const Key& key : missing) texts.push_back(shared_->key_text(key));
    std::vector<SharedEntry> entries = shared_->tier->Get(shared_->name, texts);
    if (entries.size() != missing.size()) return {};  // unreachable: ask the store
    for (std::size_t i = 0; i < missing.size(); ++i) {
      const std::optional<std::string>& bytes = entries[i].bytes;
      if (!bytes || bytes->empty()) continue;
      if ((*bytes)[0] == '0') {
        values[i].emplace(std::nullopt);
      } else if (std::optional<Value> value = shared_->decode(std::string_view(*bytes).substr(1))) {
        values[i].emplace(std::move(*value));
      }
    }
    return entries;
  }

  void ShareLoaded(const std::vector<Key>& missing,
                   const std::vector<std::optional<std::optional<Value>>>& values,
                   const std::vector<SharedEntry>& entries, const Map& loaded) {
    std::vector<SharedPut> puts;
    for (std::size_t i = 0; i < missing.size(); ++i) {
      if (values[i]) continue;  // came from the tier
      auto it = loaded.find(missing[i]);
      SharedPut put{.key = shared_->key_text(missing[i]), .version = entries[i].version};
      if (it == loaded.end()) {
        put.bytes = "0";
      } else {
        put.bytes = "1" + shared_->encode(it->second);
        if (shared_->ttl_of) put.ttl = shared_->ttl_of(it->second);
      }
      puts.push_back(std::move(put));
    }
    shared_->tier->Put(shared_->name, puts);
  }

  std::size_t per_shard_;
  ChangeEpoch* epoch_;
  std::array<Shard, kShards> shards_;
  std::unique_ptr<SharedBinding<Key, Value>> shared_;
  CacheCounters counters_{""};
  std::uint64_t listener_ = 0;
};

}  // namespace reel::cache
