// Caches in two "processes" (each its own RedisClient, RedisSharedTier and
// InvalidatingCache, as two replicas of a service have) over one store, against a real
// redis-server: the suite's, or one of the test's own where it is killed or paused.
#include "kit/redis/redis_shared_tier.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "kit/cache/invalidating_cache.hpp"
#include "kit/cache/pair_cache.hpp"
#include "kit/redis/testing/test_redis.hpp"

namespace reel::redis {
namespace {

using namespace std::chrono_literals;
using Cache = cache::InvalidatingCache<std::int64_t, std::int64_t>;

// The database both processes read: counts by id, with how often each was read.
class Store {
 public:
  std::optional<std::int64_t> Read(std::int64_t id) {
    std::lock_guard lock(mutex_);
    ++reads_;
    auto it = values_.find(id);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  void Write(std::int64_t id, std::int64_t value) {
    std::lock_guard lock(mutex_);
    values_[id] = value;
  }
  std::int64_t Add(std::int64_t id, std::int64_t delta) {
    std::lock_guard lock(mutex_);
    return values_[id] += delta;
  }
  int reads() {
    std::lock_guard lock(mutex_);
    return reads_;
  }

 private:
  std::mutex mutex_;
  std::map<std::int64_t, std::int64_t> values_;
  int reads_ = 0;
};

// One replica: its own connections, tier and cache named like every other replica's.
struct Process {
  Process(const RedisOptions& options, const std::string& prefix)
      : client(options),
        tier(client, RedisSharedTier::Options{.prefix = prefix, .ttl = 60s, .retry = 50ms}),
        counts(1000, nullptr, cache::CountShared(&tier, "test.counts")) {}

  std::optional<std::int64_t> Get(Store& store, std::int64_t id) {
    return counts.Get(id, [&](std::int64_t key) { return store.Read(key); });
  }

  RedisClient client;
  RedisSharedTier tier;
  Cache counts;
};

// Until `done()` holds, for at most `limit`.
template <class Done>
bool Eventually(Done done, std::chrono::milliseconds limit = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

class RedisSharedTierTest : public ::testing::Test {
 protected:
  RedisOptions options_ = testing::SuiteRedisOptions();
  std::string prefix_ = testing::UniquePrefix();
};

TEST_F(RedisSharedTierTest, AValueLoadedByOneProcessIsServedToAnotherFromRedis) {
  Store store;
  store.Write(7, 40);
  Process a(options_, prefix_), b(options_, prefix_);
  ASSERT_TRUE(a.tier.WaitCoherent(3s) && b.tier.WaitCoherent(3s));

  EXPECT_EQ(a.Get(store, 7), 40);
  EXPECT_EQ(store.reads(), 1);
  EXPECT_EQ(b.Get(store, 7), 40);
  EXPECT_EQ(store.reads(), 1) << "the second process should have found it in Redis";
  // Absent ids are shared too.
  EXPECT_EQ(a.Get(store, 8), std::nullopt);
  EXPECT_EQ(b.Get(store, 8), std::nullopt);
  EXPECT_EQ(store.reads(), 2);
}

TEST_F(RedisSharedTierTest, AWriteInOneProcessReachesTheOthersMemory) {
  Store store;
  store.Write(7, 40);
  Process a(options_, prefix_), b(options_, prefix_);
  ASSERT_TRUE(a.tier.WaitCoherent(3s) && b.tier.WaitCoherent(3s));
  ASSERT_EQ(a.Get(store, 7), 40);
  ASSERT_EQ(b.Get(store, 7), 40);  // now in both processes' memory

  store.Write(7, 41);
  a.counts.Invalidate(7);  // after the commit, as the decorators do
  EXPECT_EQ(a.Get(store, 7), 41);
  EXPECT_TRUE(Eventually([&] { return b.Get(store, 7) == 41; }))
      << "the other process kept the old value";
}

// The rule across processes: B loads the old value from the store, A commits and
// invalidates, then B's load returns. B must not keep what it loaded, in memory or in Redis.
TEST_F(RedisSharedTierTest, AValueLoadedBeforeAnInvalidationElsewhereIsNeverStoredAfterIt) {
  Store store;
  store.Write(7, 40);
  Process a(options_, prefix_), b(options_, prefix_);
  ASSERT_TRUE(a.tier.WaitCoherent(3s) && b.tier.WaitCoherent(3s));

  std::promise<void> loaded, go_on;
  auto slow_read = std::async(std::launch::async, [&] {
    return b.counts.Get(7, [&](std::int64_t id) {
      auto old = store.Read(id);  // 40
      loaded.set_value();
      go_on.get_future().wait();
      return old;
    });
  });
  loaded.get_future().wait();
  store.Write(7, 41);
  a.counts.Invalidate(7);
  // B has heard of the invalidation before its load returns (the usual order; the other
  // one, load first, leaves B's copy to be dropped by the message).
  std::this_thread::sleep_for(100ms);
  go_on.set_value();
  EXPECT_EQ(slow_read.get(), 40);  // what it read is what it answers once

  EXPECT_EQ(b.Get(store, 7), 41) << "B kept a value loaded before the invalidation";
  Process c(options_, prefix_);
  ASSERT_TRUE(c.tier.WaitCoherent(3s));
  const int reads = store.reads();
  EXPECT_EQ(c.Get(store, 7), 41) << "Redis kept a value loaded before the invalidation";
  EXPECT_LE(store.reads(), reads + 1);
}

// A tier that lets a test act at the moment a writer's invalidation is about to reach
// Redis: after the writer dropped the key from its memory, before Redis drops its value.
class PausingTier : public cache::SharedTier {
 public:
  explicit PausingTier(cache::SharedTier& tier) : tier_(tier) {}
  std::function<void()> before_invalidate;

  bool Coherent() const override { return tier_.Coherent(); }
  std::vector<cache::SharedEntry> Get(std::string_view cache,
                                      std::span<const std::string> keys) override {
    return tier_.Get(cache, keys);
  }
  void Put(std::string_view cache, std::span<const cache::SharedPut> entries) override {
    tier_.Put(cache, entries);
  }
  bool Invalidate(std::string_view cache, std::span<const std::string> keys) override {
    if (before_invalidate) std::exchange(before_invalidate, nullptr)();
    return tier_.Invalidate(cache, keys);
  }
  bool InvalidateAll(std::string_view cache, bool values_shared) override {
    if (before_invalidate) std::exchange(before_invalidate, nullptr)();
    return tier_.InvalidateAll(cache, values_shared);
  }
  std::uint64_t Listen(std::string_view cache,
                       std::function<void(std::span<const std::string>)> listener) override {
    return tier_.Listen(cache, std::move(listener));
  }
  void Unlisten(std::uint64_t listener) override { tier_.Unlisten(listener); }

 private:
  cache::SharedTier& tier_;
};

// The writer's own process: a reader that misses in memory just after the writer dropped
// the key there, and finds the old value still in Redis, must not keep it in memory once
// the invalidation has reached Redis. (Seen in a cluster: a video made private read back
// public from the replica that made it so.)
TEST_F(RedisSharedTierTest, AReaderBetweenTheWritersTwoLevelsDoesNotKeepTheOldValue) {
  Store store;
  store.Write(7, 40);
  store.Write(8, 80);
  RedisClient client(options_);
  RedisSharedTier redis_tier(client, RedisSharedTier::Options{.prefix = prefix_, .ttl = 60s});
  ASSERT_TRUE(redis_tier.WaitCoherent(3s));
  PausingTier tier(redis_tier);
  Cache counts(1000, nullptr, cache::CountShared(&tier, "test.counts"));
  auto get = [&](std::int64_t id) {
    return counts.Get(id, [&](std::int64_t key) { return store.Read(key); });
  };
  ASSERT_EQ(get(7), 40);  // in memory and in Redis
  ASSERT_EQ(get(8), 80);

  store.Write(7, 41);
  std::optional<std::int64_t> between;
  tier.before_invalidate = [&] { between = get(7); };
  counts.Invalidate(7);
  EXPECT_EQ(between, 40);  // what Redis still held then
  EXPECT_EQ(get(7), 41) << "the old value read from Redis mid-invalidation was kept";

  store.Write(7, 42);
  store.Write(8, 81);
  tier.before_invalidate = [&] { between = get(8); };
  counts.InvalidateAll();
  EXPECT_EQ(between, 80);
  EXPECT_EQ(get(7), 42);
  EXPECT_EQ(get(8), 81) << "the old value read from Redis mid-flush was kept";
}

// Writers and readers in both processes at once; once the writes stop and the messages
// are delivered, every cache agrees with the store.
TEST_F(RedisSharedTierTest, TwoProcessesUnderConcurrentWritesEndWithTheStoresValues) {
  Store store;
  constexpr std::int64_t kIds = 8;
  for (std::int64_t id = 0; id < kIds; ++id) store.Write(id, 0);
  Process a(options_, prefix_), b(options_, prefix_);
  ASSERT_TRUE(a.tier.WaitCoherent(3s) && b.tier.WaitCoherent(3s));

  std::atomic<bool> stop{false};
  std::vector<std::jthread> threads;
  for (Process* p : {&a, &b}) {
    threads.emplace_back([&, p] {  // writer: 300 increments
      for (int i = 0; i < 300; ++i) {
        const std::int64_t id = i % kIds;
        store.Add(id, 1);
        p->counts.Invalidate(id);
      }
    });
    for (int r = 0; r < 2; ++r) {
      threads.emplace_back([&, p] {  // reader, until the writers are done
        for (int i = 0; !stop.load() && i < 100'000; ++i) (void)p->Get(store, i % kIds);
      });
    }
  }
  threads[0].join();
  threads[3].join();
  stop = true;
  threads.clear();

  for (std::int64_t id = 0; id < kIds; ++id) {
    const std::optional<std::int64_t> truth = store.Read(id);
    EXPECT_TRUE(Eventually([&] { return a.Get(store, id) == truth && b.Get(store, id) == truth; }))
        << "id " << id << ": store " << *truth << ", A " << *a.Get(store, id) << ", B "
        << *b.Get(store, id);
  }
}

TEST_F(RedisSharedTierTest, InvalidateAllReachesEveryProcessAndEmptiesRedis) {
  Store store;
  store.Write(1, 10);
  store.Write(2, 20);
  Process a(options_, prefix_), b(options_, prefix_);
  ASSERT_TRUE(a.tier.WaitCoherent(3s) && b.tier.WaitCoherent(3s));
  ASSERT_EQ(b.Get(store, 1), 10);
  ASSERT_EQ(b.Get(store, 2), 20);

  store.Write(1, 11);
  store.Write(2, 21);
  a.counts.InvalidateAll();
  EXPECT_TRUE(Eventually([&] { return b.Get(store, 1) == 11 && b.Get(store, 2) == 21; }));
}

TEST_F(RedisSharedTierTest, PairCachesShareTheirInvalidations) {
  RedisClient client_a(options_), client_b(options_);
  RedisSharedTier tier_a(client_a, {.prefix = prefix_}), tier_b(client_b, {.prefix = prefix_});
  cache::PairCache likes_a(1000, nullptr, &tier_a, "test.likes");
  cache::PairCache likes_b(1000, nullptr, &tier_b, "test.likes");
  ASSERT_TRUE(tier_a.WaitCoherent(3s) && tier_b.WaitCoherent(3s));
  std::atomic<bool> liked{false};
  auto load = [&](std::span<const std::int64_t> seconds) {
    std::vector<std::int64_t> held;
    if (liked.load()) held.assign(seconds.begin(), seconds.end());
    return held;
  };
  const std::int64_t video[] = {9};
  ASSERT_TRUE(likes_b.SecondsThatHold(3, video, load).empty());

  liked = true;
  likes_a.Invalidate({3, 9});
  EXPECT_TRUE(Eventually([&] { return likes_b.SecondsThatHold(3, video, load).size() == 1; }));
}

// Redis killed: the caches read the store (no error, nothing stale); when it is back they
// serve again, and nothing cached before the outage survives it.
TEST(RedisSharedTierFaultTest, WhileRedisIsDownReadsGoToTheStoreAndAfterItNothingStaleIsServed) {
  testing::OwnRedis server;
  const std::string prefix = testing::UniquePrefix();
  Store store;
  store.Write(7, 40);
  Process a(server.Options(), prefix), b(server.Options(), prefix);
  ASSERT_TRUE(a.tier.WaitCoherent(3s) && b.tier.WaitCoherent(3s));
  ASSERT_EQ(b.Get(store, 7), 40);

  server.Kill();
  ASSERT_TRUE(Eventually([&] { return !a.tier.Coherent() && !b.tier.Coherent(); }));
  store.Write(7, 41);
  const auto started = std::chrono::steady_clock::now();
  a.counts.Invalidate(7);  // cannot reach anyone
  EXPECT_LT(std::chrono::steady_clock::now() - started, 50ms) << "a write waited for dead Redis";
  EXPECT_EQ(a.Get(store, 7), 41);
  EXPECT_EQ(b.Get(store, 7), 41) << "B served its memory while it could miss invalidations";

  server.Start();
  ASSERT_TRUE(a.tier.WaitCoherent(5s) && b.tier.WaitCoherent(5s));
  EXPECT_EQ(b.Get(store, 7), 41);
  const int reads = store.reads();
  EXPECT_EQ(b.Get(store, 7), 41);
  EXPECT_EQ(store.reads(), reads) << "after recovery the cache serves again";
}

// A paused server keeps what it holds: the invalidation that could not reach it is made up
// for by raising the epoch when it answers again, so the copy it holds is never served.
TEST(RedisSharedTierFaultTest, AnInvalidationLostToAHungServerEmptiesTheTierWhenItAnswers) {
  testing::OwnRedis server;
  const std::string prefix = testing::UniquePrefix();
  Store store;
  store.Write(7, 40);
  RedisOptions options = server.Options();
  options.command_timeout = 200ms;
  Process a(options, prefix), b(options, prefix);
  ASSERT_TRUE(a.tier.WaitCoherent(3s) && b.tier.WaitCoherent(3s));
  ASSERT_EQ(a.Get(store, 7), 40);  // 40 is in Redis now

  ASSERT_EQ(kill(server.Pid(), SIGSTOP), 0);
  store.Write(7, 41);
  a.counts.Invalidate(7);  // times out
  EXPECT_FALSE(a.tier.Coherent());
  EXPECT_GE(a.tier.failures(), 1);
  ASSERT_EQ(kill(server.Pid(), SIGCONT), 0);

  ASSERT_TRUE(a.tier.WaitCoherent(5s) && b.tier.WaitCoherent(5s));
  const RedisReply epoch = a.client.Command({"GET", prefix + "c:epoch"});
  ASSERT_FALSE(epoch.is_nil()) << "the owed epoch raise was not made";
  EXPECT_GE(std::stoll(epoch.str()), 1);
  EXPECT_EQ(b.Get(store, 7), 41);
  Process c(options, prefix);
  ASSERT_TRUE(c.tier.WaitCoherent(3s));
  EXPECT_EQ(c.Get(store, 7), 41);
}

}  // namespace
}  // namespace reel::redis
