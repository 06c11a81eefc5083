#include "kit/cache/pair_cache.hpp"

#include <gtest/gtest.h>

#include <set>

namespace reel::cache {
namespace {

using Ids = std::vector<std::int64_t>;

// A store of pairs the tests change behind the cache's back, counting the loads.
struct Store {
  std::set<std::pair<std::int64_t, std::int64_t>> holding;
  int loads = 0;
  Ids unknown_asked;
  auto Loader(std::int64_t first) {
    return [this, first](std::span<const std::int64_t> unknown) {
      ++loads;
      unknown_asked.assign(unknown.begin(), unknown.end());
      Ids out;
      for (std::int64_t s : unknown) {
        if (holding.contains({first, s})) out.push_back(s);
      }
      return out;
    };
  }
};

TEST(PairCacheTest, RemembersWhatHoldsAndWhatDoesNotAfterOneLoad) {
  Store store;
  store.holding = {{7, 2}, {7, 4}, {8, 1}};
  PairCache cache(1000);
  const Ids page = {1, 2, 3, 4, 2};
  EXPECT_EQ(cache.SecondsThatHold(7, page, store.Loader(7)), (Ids{2, 4}));
  EXPECT_EQ(store.loads, 1);
  store.holding.insert({7, 3});  // behind the cache's back: not seen
  EXPECT_EQ(cache.SecondsThatHold(7, page, store.Loader(7)), (Ids{2, 4}));
  EXPECT_EQ(store.loads, 1);
  EXPECT_EQ(cache.SecondsThatHold(8, page, store.Loader(8)), (Ids{1}));  // another first
  EXPECT_EQ(store.loads, 2);
  // Only what is not known is asked for.
  const Ids more = {4, 5};
  EXPECT_EQ(cache.SecondsThatHold(7, more, store.Loader(7)), (Ids{4}));
  EXPECT_EQ(store.unknown_asked, (Ids{5}));
}

TEST(PairCacheTest, InvalidateForgetsThatPairAndAdvancesTheEpoch) {
  Store store;
  store.holding = {{7, 2}};
  ChangeEpoch writes;
  PairCache cache(1000, &writes);
  const Ids page = {1, 2, 3};
  EXPECT_EQ(cache.SecondsThatHold(7, page, store.Loader(7)), (Ids{2}));
  store.holding = {{7, 3}};  // unliked 2, liked 3
  cache.Invalidate({7, 2});
  cache.Invalidate({7, 3});
  EXPECT_EQ(writes.Now(), 2u);
  EXPECT_EQ(cache.SecondsThatHold(7, page, store.Loader(7)), (Ids{3}));
  EXPECT_EQ(store.unknown_asked, (Ids{2, 3}));  // 1 was still known not to hold
  cache.InvalidateAll();
  EXPECT_EQ(writes.Now(), 3u);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(PairCacheTest, FactsLoadedAcrossAnInvalidationAreNotKept) {
  Store store;
  PairCache cache(1000);
  const Ids page = {1, 2};
  auto racing = [&](std::span<const std::int64_t> unknown) {
    // Read before the write below commits: says 2 does not hold.
    Ids out = store.Loader(7)(unknown);
    store.holding.insert({7, 2});
    cache.Invalidate({7, 2});  // the writer, after its commit
    return out;
  };
  EXPECT_EQ(cache.SecondsThatHold(7, page, racing), (Ids{}));
  EXPECT_EQ(cache.SecondsThatHold(7, page, store.Loader(7)), (Ids{2}));  // loaded again
}

TEST(PairCacheTest, StaysWithinItsCapacity) {
  Store store;
  PairCache cache(160);  // 10 facts a shard
  for (std::int64_t first = 1; first <= 200; ++first) {
    const Ids page = {1, 2, 3, 4, 5};
    cache.SecondsThatHold(first, page, store.Loader(first));
    EXPECT_LE(cache.size(), 160u);
  }
  EXPECT_GT(cache.size(), 0u);
}

}  // namespace
}  // namespace reel::cache
