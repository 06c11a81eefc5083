#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kit/cache/cache_metrics.hpp"
#include "kit/cache/change_epoch.hpp"
#include "kit/cache/shard_index.hpp"
#include "kit/cache/shared_tier.hpp"

namespace reel::cache {

/// Two ids a fact is about: this viewer likes this video, follows this user.
struct IdPair {
  std::int64_t first = 0;
  std::int64_t second = 0;
};

/// Whether pairs hold, cached per first id: everything known about one viewer is one hash
/// look-up and one sorted array, so a page of 30 videos costs a look-up and 30 binary
/// searches in contiguous memory (as 30 hash look-ups, each a node far from the last, the
/// likes and follows of a signed-in feed page took 15% of its CPU).
///
/// Kept correct like InvalidatingCache: writers call Invalidate(pair) after they commit;
/// each shard has a generation that invalidation raises, and facts loaded while it moved
/// are not kept. Pairs that do not hold are remembered too (most do not). Bounded: a shard
/// that reaches its share of `capacity` facts starts over.
///
/// Given a SharedTier (several processes over one store), invalidations also reach every
/// other process's PairCache of the same `name`, and while the tier cannot promise that,
/// every question goes to the store. The facts themselves stay in each process: they are
/// per viewer, and a viewer's requests spread over the replicas would fill the tier with
/// facts read once. Thread-safe.
class PairCache {
 public:
  explicit PairCache(std::size_t capacity, ChangeEpoch* epoch = nullptr, SharedTier* tier = nullptr,
                     std::string name = {})
      : per_shard_(std::max<std::size_t>(1, capacity / kShards)),
        epoch_(epoch),
        tier_(tier),
        name_(std::move(name)),
        counters_(name_) {
    if (tier_ == nullptr) return;
    listener_ = tier_->Listen(name_, [this](std::span<const std::string> keys) {
      if (keys.empty()) return ForgetAll();
      for (const std::string& text : keys) {
        if (std::optional<IdPair> pair = PairOf(text)) Forget(*pair);
      }
    });
  }
  ~PairCache() {
    if (tier_) tier_->Unlisten(listener_);
  }
  PairCache(const PairCache&) = delete;
  PairCache& operator=(const PairCache&) = delete;

  /// The ids among `seconds` (each once) whose pair with `first` holds: known ones from
  /// memory, the rest from `load(std::span<const std::int64_t> unknown)`, which returns the
  /// unknown seconds that hold (any iterable of ids); not called when all are known.
  template <class Load>
  std::vector<std::int64_t> SecondsThatHold(std::int64_t first,
                                            std::span<const std::int64_t> seconds, Load&& load) {
    if (tier_ && !tier_->Coherent()) {
      std::vector<std::int64_t> held;
      for (std::int64_t second : load(seconds)) held.push_back(second);
      std::sort(held.begin(), held.end());
      held.erase(std::unique(held.begin(), held.end()), held.end());
      return held;
    }
    std::vector<std::int64_t> held;
    std::vector<std::int64_t> unknown;
    Shard& shard = ShardOf(first);
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(shard.mutex);
      generation = shard.generation;
      auto it = shard.firsts.find(first);
      for (std::int64_t second : seconds) {
        const Fact* fact = it == shard.firsts.end() ? nullptr : Find(it->second, second);
        if (fact == nullptr) {
          unknown.push_back(second);
        } else if (fact->holds) {
          held.push_back(second);
        }
      }
    }
    CacheCounters::Add(counters_.hit, seconds.size() - unknown.size());
    CacheCounters::Add(counters_.miss, unknown.size());
    if (!unknown.empty()) {
      std::unordered_set<std::int64_t> holding;
      for (std::int64_t second : load(std::span<const std::int64_t>(unknown))) {
        holding.insert(second);
      }
      std::vector<Fact> learned;
      learned.reserve(unknown.size());
      for (std::int64_t second : unknown) {
        const bool holds = holding.contains(second);
        if (holds) held.push_back(second);
        learned.push_back({second, holds});
      }
      Learn(shard, first, generation, std::move(learned));
    }
    std::sort(held.begin(), held.end());
    held.erase(std::unique(held.begin(), held.end()), held.end());
    return held;
  }

  /// Forgets whether `pair` holds and refuses facts loaded before this call, here and in
  /// every process sharing the tier. Call after the commit.
  void Invalidate(const IdPair& pair) {
    Forget(pair);
    if (tier_) {
      const std::string texts[] = {std::to_string(pair.first) + ":" + std::to_string(pair.second)};
      tier_->Invalidate(name_, texts);
    }
  }

  /// Invalidate for every pair: for changes whose pairs the writer does not know one by one.
  void InvalidateAll() {
    ForgetAll();
    if (tier_) tier_->InvalidateAll(name_, false);
  }

  /// Facts held, holding or not (for tests and memory estimates).
  std::size_t size() const {
    std::size_t n = 0;
    for (const Shard& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      n += shard.facts;
    }
    return n;
  }

 private:
  static std::optional<IdPair> PairOf(std::string_view text) {
    IdPair pair;
    const char* end = text.data() + text.size();
    auto [colon, e1] = std::from_chars(text.data(), end, pair.first);
    if (e1 != std::errc() || colon == end || *colon != ':') return std::nullopt;
    auto [last, e2] = std::from_chars(colon + 1, end, pair.second);
    if (e2 != std::errc() || last != end) return std::nullopt;
    return pair;
  }

  void Forget(const IdPair& pair) {
    Shard& shard = ShardOf(pair.first);
    {
      std::lock_guard lock(shard.mutex);
      if (auto it = shard.firsts.find(pair.first); it != shard.firsts.end()) {
        std::vector<Fact>& facts = it->second;
        auto at = LowerBound(facts, pair.second);
        if (at != facts.end() && at->second == pair.second) {
          facts.erase(at);
          --shard.facts;
        }
      }
      ++shard.generation;
    }
    if (epoch_) epoch_->Advance();
  }

  void ForgetAll() {
    for (Shard& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      shard.firsts.clear();
      shard.facts = 0;
      ++shard.generation;
    }
    if (epoch_) epoch_->Advance();
  }

  static constexpr std::size_t kShards = 16;
  struct Fact {
    std::int64_t second = 0;
    bool holds = false;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::int64_t, std::vector<Fact>> firsts;  // facts sorted by second
    std::size_t facts = 0;
    std::uint64_t generation = 0;
  };

  static std::vector<Fact>::iterator LowerBound(std::vector<Fact>& facts, std::int64_t second) {
    return std::lower_bound(facts.begin(), facts.end(), second,
                            [](const Fact& f, std::int64_t s) { return f.second < s; });
  }
  static const Fact* Find(std::vector<Fact>& facts, std::int64_t second) {
    auto at = LowerBound(facts, second);
    return at != facts.end() && at->second == second ? &*at : nullptr;
  }

  // Adds what a load learned, unless the shard was invalidated since `generation`.
  void Learn(Shard& shard, std::int64_t first, std::uint64_t generation,
             std::vector<Fact> learned) {
    std::lock_guard lock(shard.mutex);
    if (shard.generation != generation || learned.size() > per_shard_) return;
    if (shard.facts + learned.size() > per_shard_) {
      CacheCounters::Add(counters_.evicted, shard.facts);
      shard.firsts.clear();
      shard.facts = 0;
    }
    std::vector<Fact>& facts = shard.firsts[first];
    const std::size_t before = facts.size();
    facts.insert(facts.end(), learned.begin(), learned.end());
    std::stable_sort(facts.begin(), facts.end(),
                     [](const Fact& a, const Fact& b) { return a.second < b.second; });
    facts.erase(std::unique(facts.begin(), facts.end(),
                            [](const Fact& a, const Fact& b) { return a.second == b.second; }),
                facts.end());
    shard.facts += facts.size() - before;
  }

  Shard& ShardOf(std::int64_t first) {
    return shards_[ShardIndex(static_cast<std::uint64_t>(first), kShards)];
  }

  std::size_t per_shard_;
  ChangeEpoch* epoch_;
  std::array<Shard, kShards> shards_;
  SharedTier* tier_;
  std::string name_;
  CacheCounters counters_;
  std::uint64_t listener_ = 0;
};

}  // namespace reel::cache
