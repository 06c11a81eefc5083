#include "kit/bus/kafka_bus.hpp"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "kit/status/status.hpp"

// The driver against librdkafka's mock cluster: a real Kafka protocol server inside the test
// process on 127.0.0.1 (produce, fetch, consumer groups, offsets, the idempotent producer).
// Its first join of an empty group waits 3 s (group.initial.rebalance.delay.ms), which
// dominates these tests' time.
namespace reel::bus {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kPartitions = 4;

class MockCluster {
 public:
  MockCluster() {
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error);
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!rk_) throw std::runtime_error(error);
    cluster_ = rd_kafka_mock_cluster_new(rk_, 1);
    if (!cluster_) throw std::runtime_error("mock cluster");
  }
  ~MockCluster() {
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(rk_);
  }
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  std::string bootstraps() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

  /// The bus's topic, its dead-letter topic and the retry topics of `groups`.
  void CreateTopics(const KafkaOptions& options, std::initializer_list<std::string> groups) {
    Create(options.topic);
    Create(options.dead_letter_topic);
    for (const std::string& group : groups) Create(options.retry_topic_prefix + group);
  }

  void SetBrokerDown(bool down) {
    ASSERT_EQ(down ? rd_kafka_mock_broker_set_down(cluster_, 1)
                   : rd_kafka_mock_broker_set_up(cluster_, 1),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }

 private:
  void Create(const std::string& topic) {
    ASSERT_EQ(rd_kafka_mock_topic_create(cluster_, topic.c_str(), kPartitions, 1),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  rd_kafka_t* rk_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

KafkaOptions OptionsFor(const MockCluster& cluster,
                        std::chrono::milliseconds delivery_timeout = 5000ms) {
  KafkaOptions options{.bootstrap_servers = cluster.bootstraps(),
                       .delivery_timeout = delivery_timeout};
  // The mock's group timings follow the session timeout: a join into a group that just
  // emptied waits session - 1 s; but a member whose session lapses while it waits out the
  // 3 s first join is dropped without an answer. 3.6 s keeps both short and safe.
  options.extra = {{"session.timeout.ms", "3600"},
                   {"heartbeat.interval.ms", "500"},
                   {"reconnect.backoff.ms", "50"},
                   {"reconnect.backoff.max.ms", "200"},
                   {"fetch.wait.max.ms", "50"}};
  return options;
}

SubscribeOptions Group(std::string name, int attempts = 3) {
  return SubscribeOptions{.group = std::move(name),
                          .consumer = "test",
                          .start = SubscribeOptions::Start::kBeginning,
                          .retry = {.max_attempts = attempts, .initial_backoff = 1ms}};
}

// `count` messages over `keys` keys; the payload numbers a key's messages in publish order.
std::vector<Message> Messages(int count, int keys, const std::string& prefix = "m") {
  std::vector<Message> out;
  std::map<int, int> sequence;
  for (int i = 0; i < count; ++i) {
    const int key = i % keys;
    out.push_back(Message{prefix + std::to_string(i), "video:" + std::to_string(key),
                          std::to_string(sequence[key]++)});
  }
  return out;
}

// What a handler saw, for the test thread to wait on.
class Received {
 public:
  void Add(const Delivery& delivery) {
    std::lock_guard lock(mu_);
    deliveries_.push_back(delivery);
    cv_.notify_all();
  }
  /// True once at least `n` deliveries arrived; false after `timeout`.
  bool WaitFor(std::size_t n, std::chrono::milliseconds timeout = 15s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return deliveries_.size() >= n; });
  }
  std::vector<Delivery> All() const {
    std::lock_guard lock(mu_);
    return deliveries_;
  }
  std::size_t size() const { return All().size(); }
  std::multiset<std::string> Ids() const {
    std::multiset<std::string> ids;
    for (const Delivery& d : All()) ids.insert(d.message.id);
    return ids;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Delivery> deliveries_;
};

std::multiset<std::string> IdsOf(const std::vector<Message>& messages) {
  std::multiset<std::string> ids;
  for (const Message& m : messages) ids.insert(m.id);
  return ids;
}

// Every key's payloads arrive as 0, 1, 2, ...: publish order per key.
void ExpectPerKeyOrder(const std::vector<Delivery>& deliveries) {
  std::map<std::string, int> next;
  for (const Delivery& d : deliveries) {
    EXPECT_EQ(d.message.payload, std::to_string(next[d.message.key]++))
        << d.message.key << " " << d.message.id;
  }
}

// Polls `done` every 100 ms for at most `timeout`.
template <typename Done>
bool Eventually(Done done, std::chrono::milliseconds timeout = 15s) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return done();
}

std::optional<GroupStatus> StatusOf(KafkaBus& bus, const std::string& group) {
  for (GroupStatus& status : bus.Groups()) {
    if (status.group == group) return status;
  }
  return std::nullopt;
}

TEST(KafkaBusTest, RoundTripEveryGroupGetsEverythingInPerKeyOrderAndItsLagDrains) {
  MockCluster cluster;
  KafkaOptions options = OptionsFor(cluster);
  cluster.CreateTopics(options, {"a", "b"});
  KafkaBus bus(options);
  EXPECT_EQ(bus.Describe(), "kafka " + cluster.bootstraps() + " reel.events");

  const std::vector<Message> published = Messages(300, 37);
  bus.Publish(published);
  Received a, b;
  {
    auto sa = bus.Subscribe(Group("a"), [&](const Delivery& d) { a.Add(d); });
    auto sb = bus.Subscribe(Group("b"), [&](const Delivery& d) { b.Add(d); });
    // Nothing committed yet (a first join takes 3 s on the mock): all of it is lag.
    std::optional<GroupStatus> status = StatusOf(bus, "a");
    ASSERT_TRUE(status);
    EXPECT_EQ(status->lag, 300);
    EXPECT_EQ(status->position, "");
    EXPECT_EQ(status->consumers, 1);
    ASSERT_TRUE(a.WaitFor(published.size()));
    ASSERT_TRUE(b.WaitFor(published.size()));
    ASSERT_TRUE(Eventually([&] { return StatusOf(bus, "a")->lag == 0; }));
    ASSERT_TRUE(Eventually([&] { return StatusOf(bus, "b")->lag == 0; }));
    status = StatusOf(bus, "b");
    EXPECT_EQ(std::ranges::count(status->position, ','), kPartitions - 1) << status->position;
    EXPECT_EQ(status->dead_letters, 0);
  }
  EXPECT_EQ(a.Ids(), IdsOf(published));
  EXPECT_EQ(b.Ids(), IdsOf(published));
  ExpectPerKeyOrder(a.All());
  ExpectPerKeyOrder(b.All());
  const Delivery first = a.All().front();
  const auto sent = std::ranges::find(published, first.message.id, &Message::id);
  ASSERT_NE(sent, published.end());
  EXPECT_EQ(first.message, *sent);  // id (a header), key and payload all round-trip
  EXPECT_TRUE(first.position.find(':') != std::string::npos) << first.position;

  bus.Publish(Messages(5, 5, "later"));  // the members are gone: these wait for them
  std::optional<GroupStatus> status = StatusOf(bus, "a");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->lag, 5);
  EXPECT_EQ(status->consumers, 0);
}

TEST(KafkaBusTest, ANewMemberResumesAfterTheLastMessageTheGroupHandled) {
  MockCluster cluster;
  KafkaOptions options = OptionsFor(cluster);
  cluster.CreateTopics(options, {"resume"});
  KafkaBus bus(options);
  const std::vector<Message> published = Messages(40, 9);
  bus.Publish(published);

  // The first member handles 15 messages; the 16th fails and waits in a long backoff, so
  // it is neither handled nor parked when the member is destroyed.
  Received first;
  {
    SubscribeOptions slow = Group("resume", 100);
    slow.retry.initial_backoff = 60s;
    std::atomic<int> handled = 0;
    auto member = bus.Subscribe(slow, [&](const Delivery& d) {
      if (handled >= 15) throw std::runtime_error("not now");
      ++handled;
      first.Add(d);
    });
    ASSERT_TRUE(first.WaitFor(15));
    std::this_thread::sleep_for(300ms);  // it is in the 16th's backoff by now
  }
  ASSERT_EQ(first.size(), 15u);

  Received second;
  auto member = bus.Subscribe(Group("resume"), [&](const Delivery& d) { second.Add(d); });
  ASSERT_TRUE(second.WaitFor(published.size() - 15));
  std::this_thread::sleep_for(500ms);  // nothing more comes
  std::multiset<std::string> all = first.Ids();
  all.merge(second.Ids());
  EXPECT_EQ(second.size(), published.size() - 15);
  EXPECT_EQ(all, IdsOf(published));  // none lost, none handled twice
}

TEST(KafkaBusTest, TwoMembersOfAGroupShareThePartitionsAndHandleEachMessageOnce) {
  MockCluster cluster;
  KafkaOptions options = OptionsFor(cluster);
  cluster.CreateTopics(options, {"shared"});
  KafkaBus bus(options);
  // Handlers slow enough that messages are in flight when the group rebalances.
  Received one, two;
  auto slowly = [](Received& into) {
    return [&into](const Delivery& d) {
      std::this_thread::sleep_for(3ms);
      into.Add(d);
    };
  };
  auto m1 = bus.Subscribe(Group("shared"), slowly(one));
  std::vector<Message> published = Messages(60, 30, "first-");
  bus.Publish(published);
  ASSERT_TRUE(one.WaitFor(10));

  // The second member joins while the first is busy and more is published: partitions
  // move to it (cooperatively: two rebalances, ~3 s each on the mock); whatever the first
  // handled before giving them up it must not get again. Publishing goes on (at most
  // 15 s) until the second has handled some.
  auto m2 = bus.Subscribe(Group("shared"), slowly(two));
  const auto deadline = Clock::now() + 15s;
  for (int batch = 0; two.size() < 20 && Clock::now() < deadline; ++batch) {
    std::vector<Message> messages = Messages(20, 20, "b" + std::to_string(batch) + "-");
    bus.Publish(messages);
    published.insert(published.end(), messages.begin(), messages.end());
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_TRUE(Eventually([&] { return one.size() + two.size() >= published.size(); }));
  std::this_thread::sleep_for(500ms);  // nothing more comes
  std::multiset<std::string> all = one.Ids();
  all.merge(two.Ids());
  EXPECT_EQ(all, IdsOf(published));
  EXPECT_GT(one.size(), 0u);
  EXPECT_GT(two.size(), 0u);
}

TEST(KafkaBusTest, AFailingMessageIsParkedTheOthersFlowOnAndReplayHandlesItOnce) {
  MockCluster cluster;
  KafkaOptions options = OptionsFor(cluster);
  cluster.CreateTopics(options, {"search"});
  KafkaBus bus(options);
  std::atomic<bool> broken = true;
  Received applied;
  auto member = bus.Subscribe(Group("search", 3), [&](const Delivery& d) {
    if (broken && d.message.id == "m3") throw std::runtime_error("index refused it");
    applied.Add(d);
  });
  const std::vector<Message> published = Messages(10, 10);
  bus.Publish(published);
  ASSERT_TRUE(applied.WaitFor(9));
  std::vector<DeadLetter> dead;
  ASSERT_TRUE(Eventually([&] { return (dead = bus.DeadLetters("search", 10)).size() == 1; }));
  EXPECT_EQ(dead[0].group, "search");
  EXPECT_EQ(dead[0].message, published[3]);
  EXPECT_EQ(dead[0].attempts, 3);
  EXPECT_EQ(dead[0].error, "index refused it");
  EXPECT_GT(dead[0].parked_at_ms, 0);
  EXPECT_TRUE(bus.DeadLetters("other", 10).empty());
  std::optional<GroupStatus> status = StatusOf(bus, "search");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->dead_letters, 1);
  EXPECT_EQ(status->consumers, 1);

  broken = false;
  const std::string ids[] = {dead[0].dead_letter_id};
  EXPECT_EQ(bus.Replay("search", ids), 1);
  ASSERT_TRUE(applied.WaitFor(10));
  EXPECT_TRUE(bus.DeadLetters("search", 10).empty());
  EXPECT_EQ(bus.Replay("search", {}), 0);
  std::this_thread::sleep_for(500ms);          // nothing more comes
  EXPECT_EQ(applied.Ids(), IdsOf(published));  // m3 once, the rest once
  EXPECT_EQ(StatusOf(bus, "search")->dead_letters, 0);
}

TEST(KafkaBusTest, PublishThrowsUnavailableWhileTheBrokerIsDownAndWorksAgainAfter) {
  MockCluster cluster;
  KafkaOptions options = OptionsFor(cluster, 1500ms);
  cluster.CreateTopics(options, {"g"});
  KafkaBus bus(options);
  Received received;
  auto member = bus.Subscribe(Group("g"), [&](const Delivery& d) { received.Add(d); });
  const std::vector<Message> before = Messages(4, 4, "before");
  bus.Publish(before);
  ASSERT_TRUE(received.WaitFor(4));

  cluster.SetBrokerDown(true);
  const auto start = Clock::now();
  try {
    bus.Publish(Messages(3, 3, "down"));
    FAIL() << "published with the broker down";
  } catch (const StatusError& e) {
    EXPECT_EQ(e.status().code, Code::kUnavailable);
    EXPECT_EQ(e.status().reason, "BUS_UNAVAILABLE");
  }
  EXPECT_LE(Clock::now() - start, 1500ms + 300ms);

  cluster.SetBrokerDown(false);
  const std::vector<Message> after = Messages(4, 4, "after");
  bus.Publish(after);
  ASSERT_TRUE(Eventually([&] {
    std::multiset<std::string> ids = received.Ids();
    return std::ranges::all_of(after, [&](const Message& m) { return ids.contains(m.id); });
  }));
}

}  // namespace
}  // namespace reel::bus
