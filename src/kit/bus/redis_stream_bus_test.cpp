// RedisStreamBus against the suite's redis-server: each test keeps to keys under a prefix of
// its own. Leases, polls and backoffs are short so the file runs in seconds.
#include "kit/bus/redis_stream_bus.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kit/redis/testing/test_redis.hpp"

namespace reel::bus {
namespace {

using namespace std::chrono_literals;
using redis::RedisClient;

// What the handlers of a test saw, from any number of member threads.
class Seen {
 public:
  // Records a delivery to `consumer`.
  void Add(const std::string& consumer, const Delivery& d) {
    std::lock_guard lock(mu_);
    deliveries_.push_back({consumer, d});
    cv_.notify_all();
  }
  // Waits (up to `timeout`) until at least `n` deliveries were recorded.
  bool WaitFor(std::size_t n, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return deliveries_.size() >= n; });
  }
  std::vector<std::pair<std::string, Delivery>> All() {
    std::lock_guard lock(mu_);
    return deliveries_;
  }
  // Message ids in delivery order, per key.
  std::map<std::string, std::vector<std::string>> IdsByKey() {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& [consumer, d] : All()) out[d.message.key].push_back(d.message.id);
    return out;
  }
  std::size_t Count() {
    std::lock_guard lock(mu_);
    return deliveries_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, Delivery>> deliveries_;
};

RedisStreamOptions FastOptions() {
  return RedisStreamOptions{.prefix = redis::testing::UniquePrefix(),
                            .partitions = 4,
                            .max_len = 100000,
                            .lease = 1500ms,
                            .poll = 10ms};
}

SubscribeOptions Member(std::string group, std::string consumer, int attempts = 3) {
  return SubscribeOptions{
      .group = std::move(group),
      .consumer = std::move(consumer),
      .start = SubscribeOptions::Start::kEnd,
      .retry = {.max_attempts = attempts, .initial_backoff = 1ms, .max_backoff = 5ms},
      .batch = 16};
}

Handler Recorder(Seen& seen, std::string consumer) {
  return [&seen, consumer](const Delivery& d) { seen.Add(consumer, d); };
}

// `count` messages over `keys` keys, ids "0".."count-1" with key "video:<i % keys>".
std::vector<Message> Messages(int count, int keys, int first = 0) {
  std::vector<Message> out;
  for (int i = first; i < first + count; ++i) {
    out.push_back(Message{std::to_string(i), "video:" + std::to_string(i % keys),
                          std::string("bytes\0of ", 9) + std::to_string(i)});
  }
  return out;
}

// Per key, the ids in the order they were published.
std::map<std::string, std::vector<std::string>> PublishOrder(const std::vector<Message>& all) {
  std::map<std::string, std::vector<std::string>> out;
  for (const Message& m : all) out[m.key].push_back(m.id);
  return out;
}

// Polls `done` every 10 ms for up to `timeout`.
template <typename Done>
bool Eventually(Done done, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

class RedisStreamBusTest : public ::testing::Test {
 protected:
  RedisClient client_{redis::testing::SuiteRedisOptions()};
  RedisStreamOptions options_ = FastOptions();
  RedisStreamBus bus_{client_, options_};

  std::string Stream(const std::string& key) {
    return options_.prefix + "bus:p" +
           std::to_string(RedisStreamBus::PartitionOf(key, options_.partitions));
  }
  // The lease holders of `group`'s partitions and retry stream (empty when free).
  std::vector<std::string> Holders(const std::string& group) {
    std::vector<std::string> out;
    for (int p = 0; p <= options_.partitions; ++p) {
      const std::string unit = p < options_.partitions ? std::to_string(p) : "retry";
      auto reply = client_.Command({"GET", options_.prefix + "bus:lease:" + group + ":" + unit});
      out.push_back(reply.is_nil() ? "" : reply.str());
    }
    return out;
  }
  std::int64_t PendingOf(const std::string& stream, const std::string& group) {
    return client_.Command({"XPENDING", stream, group}).elements().at(0).integer();
  }
};

TEST(RedisStreamBusPartitionTest, PartitionOfIsFnv1aModuloAndSpreadsKeys) {
  // FNV-1a 32 of "a" is 0xe40c292c = 3826002220; of "" the offset basis 2166136261.
  EXPECT_EQ(RedisStreamBus::PartitionOf("a", 1000), 220);
  EXPECT_EQ(RedisStreamBus::PartitionOf("", 1000), 261);
  std::set<int> used;
  for (int i = 0; i < 100; ++i)
    used.insert(RedisStreamBus::PartitionOf("video:" + std::to_string(i), 4));
  EXPECT_EQ(used, (std::set<int>{0, 1, 2, 3}));
}

TEST_F(RedisStreamBusTest, EveryGroupGetsEveryMessageOnceInOrderPerKeyBytesIntact) {
  Seen a, b;
  auto sa = bus_.Subscribe(Member("a", "a1"), Recorder(a, "a1"));
  auto sb = bus_.Subscribe(Member("b", "b1"), Recorder(b, "b1"));
  const std::vector<Message> sent = Messages(40, 5);
  bus_.Publish(std::span(sent).first(25));
  bus_.Publish(std::span(sent).subspan(25));

  ASSERT_TRUE(a.WaitFor(40));
  ASSERT_TRUE(b.WaitFor(40));
  std::this_thread::sleep_for(100ms);  // nothing more may come
  EXPECT_EQ(a.Count(), 40u);
  EXPECT_EQ(b.Count(), 40u);
  EXPECT_EQ(a.IdsByKey(), PublishOrder(sent));
  EXPECT_EQ(b.IdsByKey(), PublishOrder(sent));
  std::map<std::string, Message> by_id;
  for (const auto& [consumer, d] : a.All()) {
    by_id[d.message.id] = d.message;
    EXPECT_NE(d.position.find('-'), std::string::npos) << d.position;  // a stream entry id
  }
  for (const Message& m : sent) EXPECT_EQ(by_id[m.id], m);  // the NUL byte survived
  EXPECT_EQ(bus_.Describe(), "redis-streams redis://" + client_.options().endpoint.ToString() +
                                 " " + options_.prefix + "bus");
}

TEST_F(RedisStreamBusTest, AGroupStartingAtTheEndSkipsOlderMessagesAtTheBeginningGetsThem) {
  const std::vector<Message> old = Messages(3, 1);
  bus_.Publish(old);
  Seen end, beginning;
  auto se = bus_.Subscribe(Member("end", "e"), Recorder(end, "e"));
  SubscribeOptions from_start = Member("beginning", "s");
  from_start.start = SubscribeOptions::Start::kBeginning;
  auto sb = bus_.Subscribe(from_start, Recorder(beginning, "s"));
  const std::vector<Message> fresh = Messages(2, 1, 3);
  bus_.Publish(fresh);
  ASSERT_TRUE(beginning.WaitFor(5));
  ASSERT_TRUE(end.WaitFor(2));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(end.IdsByKey()["video:0"], (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(beginning.IdsByKey()["video:0"], (std::vector<std::string>{"0", "1", "2", "3", "4"}));
}

TEST_F(RedisStreamBusTest, TwoMembersSplitThePartitionsAndHandleEachMessageOnceInKeyOrder) {
  Seen seen;
  auto m1 = bus_.Subscribe(Member("g", "m1"), Recorder(seen, "m1"));
  auto m2 = bus_.Subscribe(Member("g", "m2"), Recorder(seen, "m2"));
  // Each holds some of the five leases (the first takes them all, then gives back past
  // its share once the second shows up).
  ASSERT_TRUE(Eventually([&] {
    const auto holders = Holders("g");
    const auto n1 = std::ranges::count(holders, "m1"), n2 = std::ranges::count(holders, "m2");
    return n1 >= 2 && n2 >= 2 && n1 + n2 == 5;
  })) << ::testing::PrintToString(Holders("g"));

  const std::vector<Message> sent = Messages(200, 20);
  for (int i = 0; i < 200; i += 50) bus_.Publish(std::span(sent).subspan(i, 50));
  ASSERT_TRUE(seen.WaitFor(200));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(seen.Count(), 200u);
  EXPECT_EQ(seen.IdsByKey(), PublishOrder(sent));  // each once, in order per key
  std::map<std::string, int> per_member;
  std::map<std::string, std::set<std::string>> members_of_key;
  for (const auto& [consumer, d] : seen.All()) {
    ++per_member[consumer];
    members_of_key[d.message.key].insert(consumer);
  }
  EXPECT_GT(per_member["m1"], 0);
  EXPECT_GT(per_member["m2"], 0);
  for (const auto& [key, members] : members_of_key) EXPECT_EQ(members.size(), 1u) << key;
}

TEST_F(RedisStreamBusTest, ACrashedMembersPendingEntriesAreClaimedAfterItsLeaseRunsOut) {
  // A "ghost" member read four entries and died holding every lease: its entries are
  // pending for it and its leases run out in 800 ms.
  const std::vector<Message> sent = Messages(10, 1);
  const std::string stream = Stream("video:0");
  client_.Command({"XGROUP", "CREATE", stream, "g", "0", "MKSTREAM"});
  bus_.Publish(sent);
  auto read =
      client_.Command({"XREADGROUP", "GROUP", "g", "ghost", "COUNT", "4", "STREAMS", stream, ">"});
  ASSERT_EQ(read.elements().at(0).elements().at(1).elements().size(), 4u);
  for (int p = 0; p <= options_.partitions; ++p) {
    const std::string unit = p < options_.partitions ? std::to_string(p) : "retry";
    client_.Command({"SET", options_.prefix + "bus:lease:g:" + unit, "ghost", "PX", "800"});
  }

  Seen seen;
  const auto start = std::chrono::steady_clock::now();
  std::atomic<long long> first_ms{-1};
  auto heir = bus_.Subscribe(Member("g", "heir"), [&](const Delivery& d) {
    long long unset = -1;
    first_ms.compare_exchange_strong(unset, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::steady_clock::now() - start)
                                                .count());
    seen.Add("heir", d);
  });
  ASSERT_TRUE(seen.WaitFor(10));
  std::this_thread::sleep_for(100ms);
  EXPECT_GE(first_ms.load(), 600) << "took the partition before the ghost's lease ran out";
  EXPECT_EQ(seen.IdsByKey(), PublishOrder(sent));  // the ghost's four first, each once
  EXPECT_TRUE(Eventually([&] { return PendingOf(stream, "g") == 0; }));
}

TEST_F(RedisStreamBusTest, AMemberStoppedMidRetryLeavesTheEntryPendingForTheNextInOrder) {
  std::atomic<int> attempts{0};
  SubscribeOptions stubborn = Member("g", "first", 1000);
  stubborn.retry.initial_backoff = 20ms;
  auto first = bus_.Subscribe(stubborn, [&](const Delivery&) {
    ++attempts;
    throw std::runtime_error("not now");
  });
  const std::vector<Message> sent = Messages(3, 1);
  bus_.Publish(sent);
  ASSERT_TRUE(Eventually([&] { return attempts.load() >= 2; }));
  first.reset();  // stops between attempts: neither acknowledged nor parked
  EXPECT_EQ(PendingOf(Stream("video:0"), "g"), 3);  // read in one batch, none acknowledged
  EXPECT_TRUE(bus_.DeadLetters("g", 10).empty());
  EXPECT_EQ(Holders("g"), std::vector<std::string>(5, ""));  // released on a clean stop

  Seen seen;
  auto next = bus_.Subscribe(Member("g", "next"), Recorder(seen, "next"));
  ASSERT_TRUE(seen.WaitFor(3, 3s));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(seen.IdsByKey(), PublishOrder(sent));
  EXPECT_TRUE(Eventually([&] { return PendingOf(Stream("video:0"), "g") == 0; }));
}

TEST_F(RedisStreamBusTest, AFailingMessageIsDeadLetteredOthersFlowOnAndReplayHandlesItOnce) {
  std::atomic<bool> broken{true};
  Seen seen;
  auto sub = bus_.Subscribe(Member("search", "s1", 3), [&](const Delivery& d) {
    if (broken && d.message.id == "1") throw std::runtime_error("index refused it");
    seen.Add("s1", d);
  });
  const std::vector<Message> sent = Messages(3, 1);
  bus_.Publish(sent);
  ASSERT_TRUE(seen.WaitFor(2));
  std::vector<DeadLetter> dead;
  ASSERT_TRUE(Eventually([&] { return (dead = bus_.DeadLetters("search", 10)).size() == 1; }));
  EXPECT_EQ(seen.IdsByKey()["video:0"], (std::vector<std::string>{"0", "2"}));
  EXPECT_EQ(dead[0].message, sent[1]);
  EXPECT_EQ(dead[0].group, "search");
  EXPECT_EQ(dead[0].attempts, 3);
  EXPECT_EQ(dead[0].error, "index refused it");
  EXPECT_GT(dead[0].parked_at_ms, 0);
  // Parked and acknowledged (the message after it too, once its handler returned).
  EXPECT_TRUE(Eventually([&] { return PendingOf(Stream("video:0"), "search") == 0; }));
  const auto groups = bus_.Groups();
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].dead_letters, 1);

  const std::string bogus[] = {"not-an-id", "1-1"};
  EXPECT_EQ(bus_.Replay("search", bogus), 0);
  broken = false;
  const std::string chosen[] = {dead[0].dead_letter_id};
  EXPECT_EQ(bus_.Replay("search", chosen), 1);
  ASSERT_TRUE(seen.WaitFor(3));
  EXPECT_TRUE(bus_.DeadLetters("search", 10).empty());
  EXPECT_EQ(bus_.Replay("search", {}), 0);
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(seen.IdsByKey()["video:0"], (std::vector<std::string>{"0", "2", "1"}));
  EXPECT_EQ(bus_.Groups()[0].dead_letters, 0);
}

TEST_F(RedisStreamBusTest, GroupsReportLagUntilConsumedThenNoneAndCountLiveMembers) {
  {
    auto joined = bus_.Subscribe(Member("lagging", "l1"), [](const Delivery&) {});
  }
  bus_.Publish(Messages(12, 6));
  auto groups = bus_.Groups();
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].group, "lagging");
  EXPECT_EQ(groups[0].lag, 12);
  EXPECT_EQ(groups[0].pending, 0);
  EXPECT_EQ(groups[0].consumers, 0);  // the member left
  EXPECT_EQ(groups[0].position, "");

  Seen seen;
  auto member = bus_.Subscribe(Member("lagging", "l2"), Recorder(seen, "l2"));
  ASSERT_TRUE(seen.WaitFor(12));
  ASSERT_TRUE(Eventually([&] {
    groups = bus_.Groups();
    return groups.size() == 1 && groups[0].lag == 0 && groups[0].pending == 0;
  })) << groups[0].lag
      << " " << groups[0].pending;
  EXPECT_EQ(groups[0].consumers, 1);
  EXPECT_NE(groups[0].position.find("=1"), std::string::npos) << groups[0].position;
  EXPECT_EQ(groups[0].dead_letters, 0);
}

TEST_F(RedisStreamBusTest, BadNamesAreRefused) {
  EXPECT_THROW(bus_.Subscribe(Member("bad name", "c"), [](const Delivery&) {}),
               std::invalid_argument);
  EXPECT_THROW(bus_.Subscribe(Member("g", ""), [](const Delivery&) {}), std::invalid_argument);
}

}  // namespace
}  // namespace reel::bus
