#include "kit/cache/invalidating_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

namespace reel::cache {
namespace {

using Cache = InvalidatingCache<std::int64_t, std::string>;

// A store the tests change behind the cache's back, counting the loads it answers.
struct Store {
  std::unordered_map<std::int64_t, std::string> rows;
  int loads = 0;
  int keys_loaded = 0;
  Cache::Map Load(std::span<const std::int64_t> keys) {
    ++loads;
    keys_loaded += static_cast<int>(keys.size());
    Cache::Map out;
    for (std::int64_t k : keys) {
      if (auto it = rows.find(k); it != rows.end()) out.emplace(k, it->second);
    }
    return out;
  }
};

TEST(InvalidatingCacheTest, LoadsOnlyWhatIsMissingAndRemembersAbsentKeys) {
  Store store{.rows = {{1, "one"}, {2, "two"}}};
  Cache cache(100);
  auto load = [&](std::span<const std::int64_t> keys) { return store.Load(keys); };
  const std::int64_t first[] = {1, 3};
  auto found = cache.GetMany(std::span<const std::int64_t>(first), load);
  EXPECT_EQ(found, (Cache::Map{{1, "one"}}));
  const std::int64_t second[] = {1, 2, 3, 2};
  found = cache.GetMany(std::span<const std::int64_t>(second), load);
  EXPECT_EQ(found, (Cache::Map{{1, "one"}, {2, "two"}}));
  EXPECT_EQ(store.loads, 2);
  EXPECT_EQ(store.keys_loaded, 4);  // 1 and 3, then 2 twice (both misses in one call)
  found = cache.GetMany(std::span<const std::int64_t>(second), load);
  EXPECT_EQ(store.loads, 2) << "everything, 3's absence included, is cached now";
  EXPECT_EQ(found.size(), 2u);
}

TEST(InvalidatingCacheTest, InvalidateShowsTheNewValueAndACreatedKey) {
  Store store{.rows = {{1, "one"}}};
  Cache cache(100);
  auto load = [&](std::int64_t k) -> std::optional<std::string> {
    const std::int64_t keys[] = {k};
    auto m = store.Load(keys);
    if (m.empty()) return std::nullopt;
    return m.begin()->second;
  };
  EXPECT_EQ(cache.Get(1, load), "one");
  EXPECT_EQ(cache.Get(2, load), std::nullopt);
  store.rows[1] = "uno";
  store.rows[2] = "dos";
  EXPECT_EQ(cache.Get(1, load), "one") << "not invalidated yet: the cached value stands";
  EXPECT_EQ(cache.Get(2, load), std::nullopt);
  cache.Invalidate(1);
  cache.Invalidate(2);
  EXPECT_EQ(cache.Get(1, load), "uno");
  EXPECT_EQ(cache.Get(2, load), "dos");
  store.rows.erase(1);
  cache.InvalidateAll();
  EXPECT_EQ(cache.Get(1, load), std::nullopt);
  EXPECT_EQ(cache.Get(2, load), "dos");
}

TEST(InvalidatingCacheTest, AValueLoadedBeforeAnInvalidationIsNotKept) {
  // The reader loads "old"; while it is loading, a writer commits "new" and invalidates.
  Store store{.rows = {{7, "old"}}};
  Cache cache(100);
  const std::int64_t keys[] = {7};
  auto found = cache.GetMany(std::span<const std::int64_t>(keys), [&](auto missing) {
    auto loaded = store.Load(missing);
    store.rows[7] = "new";
    cache.Invalidate(7);
    return loaded;
  });
  EXPECT_EQ(found.at(7), "old") << "this reader read before the commit, and answers so";
  found = cache.GetMany(std::span<const std::int64_t>(keys),
                        [&](auto missing) { return store.Load(missing); });
  EXPECT_EQ(found.at(7), "new") << "the old value must not have been stored";
  EXPECT_EQ(store.loads, 2);
}

TEST(InvalidatingCacheTest, AnInvalidationOfAnotherShardDoesNotBlockFilling) {
  Cache cache(1000);
  Store store;
  for (std::int64_t k = 1; k <= 64; ++k) store.rows[k] = std::to_string(k);
  std::vector<std::int64_t> keys;
  for (std::int64_t k = 1; k <= 64; ++k) keys.push_back(k);
  cache.GetMany(std::span<const std::int64_t>(keys), [&](auto missing) {
    cache.Invalidate(1);  // raises one shard's generation only
    return store.Load(missing);
  });
  EXPECT_GT(cache.size(), 32u) << "keys in the other shards were kept";
  EXPECT_LT(cache.size(), 64u) << "keys in key 1's shard were refused";
}

TEST(InvalidatingCacheTest, EveryInvalidationAdvancesTheEpoch) {
  ChangeEpoch writes;
  InvalidatingCache<int, int> cache(64, &writes);
  auto load = [](std::span<const int> keys) {
    std::unordered_map<int, int> out;
    for (int k : keys) out[k] = k;
    return out;
  };
  const int keys[] = {1, 2};
  cache.GetMany(std::span<const int>(keys), load);
  EXPECT_EQ(writes.Now(), 0u);  // reads do not
  cache.Invalidate(1);
  EXPECT_EQ(writes.Now(), 1u);
  cache.InvalidateAll();
  EXPECT_EQ(writes.Now(), 2u);
}

TEST(InvalidatingCacheTest, StaysWithinItsCapacity) {
  Cache cache(160);  // 10 per shard
  Store store;
  for (std::int64_t k = 0; k < 10'000; ++k) {
    store.rows[k] = "v";
    const std::int64_t keys[] = {k};
    cache.GetMany(std::span<const std::int64_t>(keys), [&](auto m) { return store.Load(m); });
    ASSERT_LE(cache.size(), 160u);
  }
  EXPECT_GT(cache.size(), 16u);
}

TEST(InvalidatingCacheTest, ConcurrentReadersNeverKeepAValueOlderThanTheLastWrite) {
  // A writer bumps a counter and invalidates after each "commit"; readers load through the
  // cache. After the writer stops, every reader must see the final value.
  Cache cache(1000);
  std::atomic<int> value{0};
  std::atomic<bool> stop{false};
  auto load = [&](std::span<const std::int64_t> keys) {
    Cache::Map m;
    const int v = value.load();
    std::this_thread::yield();
    for (std::int64_t k : keys) m.emplace(k, std::to_string(v));
    return m;
  };
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      const std::int64_t keys[] = {5};
      while (!stop) cache.GetMany(std::span<const std::int64_t>(keys), load);
    });
  }
  for (int i = 1; i <= 20'000; ++i) {
    value.store(i);
    cache.Invalidate(5);
  }
  stop = true;
  for (auto& t : readers) t.join();
  const std::int64_t keys[] = {5};
  EXPECT_EQ(cache.GetMany(std::span<const std::int64_t>(keys), load).at(5), "20000");
}

}  // namespace
}  // namespace reel::cache
