#include "kit/rpc/etcd_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/etcd_http.hpp"
#include "kit/rpc/etcd_test_server.hpp"
#include "kit/rpc/etcd_wire.hpp"
#include "kit/rpc/rpc_config.hpp"

// Every test here talks to a real etcd started by the fixture (see etcd_test_server.hpp).

namespace reel::rpc {
namespace {

using namespace std::chrono_literals;
using testing::EtcdTestServer;

constexpr auto kTtl = std::chrono::milliseconds(1000);

// Polls `condition` every 20 ms for up to `limit`.
template <typename Condition>
bool Eventually(Condition condition, std::chrono::milliseconds limit = 4s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

// The latest set an EtcdWatch reported, readable from the test thread.
struct Recorder {
  std::mutex mu;
  std::vector<std::string> values;
  int calls = 0;

  std::function<void(std::vector<std::string>)> Callback() {
    return [this](std::vector<std::string> v) {
      std::lock_guard lock(mu);
      values = std::move(v);
      ++calls;
    };
  }
  std::vector<std::string> Values() {
    std::lock_guard lock(mu);
    return values;
  }
  int Calls() {
    std::lock_guard lock(mu);
    return calls;
  }
};

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

class EtcdTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new EtcdTestServer();
    start_error_ = server_->Start();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    // No etcd is a failure, not a skip: scripts/test installs etcd-server.
    ASSERT_TRUE(start_error_.empty()) << start_error_;
    etcd_ = std::make_unique<EtcdClient>(std::vector<std::string>{server_->endpoint()});
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    prefix_ = std::string("/test/") + info->name() + "/";
  }

  std::map<std::string, std::string> Read(const std::string& prefix) {
    auto snapshot = etcd_->GetPrefix(prefix);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().message;
    return snapshot.ok() ? snapshot->values : std::map<std::string, std::string>{};
  }
  bool Has(const std::string& key) { return Read(key).count(key) == 1; }

  static inline EtcdTestServer* server_ = nullptr;
  static inline std::string start_error_;
  std::unique_ptr<EtcdClient> etcd_;
  std::string prefix_;
};

TEST_F(EtcdTest, PutGetPrefixAndDelete) {
  ASSERT_TRUE(etcd_->Put(prefix_ + "a", "1").ok());
  ASSERT_TRUE(etcd_->Put(prefix_ + "b", "two words").ok());
  ASSERT_TRUE(etcd_->Put(prefix_.substr(0, prefix_.size() - 1) + "0", "outside").ok());

  auto snapshot = etcd_->GetPrefix(prefix_);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message;
  EXPECT_GT(snapshot->revision, 0);
  EXPECT_EQ(snapshot->values, (std::map<std::string, std::string>{{prefix_ + "a", "1"},
                                                                  {prefix_ + "b", "two words"}}));

  ASSERT_TRUE(etcd_->Delete(prefix_ + "a").ok());
  EXPECT_TRUE(etcd_->Delete(prefix_ + "never-there").ok());
  EXPECT_EQ(Read(prefix_), (std::map<std::string, std::string>{{prefix_ + "b", "two words"}}));
}

TEST_F(EtcdTest, UnreachableEndpointIsUnavailableAndTheNextOneIsTried) {
  // A port nothing listens on: the etcd peer port of a server that is not started.
  EtcdTestServer idle;
  EtcdClient dead({idle.endpoint()}, 500ms);
  auto failed = dead.GetPrefix(prefix_);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code, Code::kUnavailable);
  EXPECT_EQ(failed.status().reason, "ETCD_UNREACHABLE");

  EtcdClient both({idle.endpoint(), server_->endpoint()}, 500ms);
  EXPECT_TRUE(both.Put(prefix_ + "k", "v").ok());
  EXPECT_TRUE(both.GetPrefix(prefix_).ok());
}

TEST_F(EtcdTest, KeepAliveHoldsAKeyBeyondItsTtlAndItExpiresAfter) {
  auto lease = etcd_->GrantLease(1s);
  ASSERT_TRUE(lease.ok()) << lease.status().message;
  ASSERT_TRUE(etcd_->Put(prefix_ + "k", "v", *lease).ok());
  const auto until = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_TRUE(etcd_->KeepAliveOnce(*lease).ok());
    std::this_thread::sleep_for(300ms);
  }
  EXPECT_TRUE(Has(prefix_ + "k")) << "the key expired despite keep-alives";
  EXPECT_TRUE(Eventually([&] { return !Has(prefix_ + "k"); }, 3s));
  EXPECT_EQ(etcd_->KeepAliveOnce(*lease).code, Code::kNotFound);
}

TEST_F(EtcdTest, RevokeDeletesAtOnce) {
  auto lease = etcd_->GrantLease(30s);
  ASSERT_TRUE(lease.ok()) << lease.status().message;
  ASSERT_TRUE(etcd_->Put(prefix_ + "k", "v", *lease).ok());
  ASSERT_TRUE(Has(prefix_ + "k"));
  ASSERT_TRUE(etcd_->Revoke(*lease).ok());
  EXPECT_FALSE(Has(prefix_ + "k"));
  EXPECT_EQ(etcd_->KeepAliveOnce(*lease).code, Code::kNotFound);
  Status again = etcd_->Revoke(*lease);
  EXPECT_EQ(again.code, Code::kNotFound);
  EXPECT_EQ(again.reason, "ETCD_NOT_FOUND");
  EXPECT_EQ(etcd_->Put(prefix_ + "k", "v", *lease).code, Code::kNotFound);
  EXPECT_FALSE(Has(prefix_ + "k"));
}

TEST_F(EtcdTest, RegistrationStaysWhileAliveAndVanishesOnDestruction) {
  auto registration =
      std::make_unique<EtcdRegistration>(*etcd_, prefix_ + "one", "127.0.0.1:9001", kTtl);
  EXPECT_TRUE(registration->registered());
  EXPECT_EQ(Read(prefix_)[prefix_ + "one"], "127.0.0.1:9001");
  std::this_thread::sleep_for(2s);  // twice the TTL: only keep-alives can hold it
  EXPECT_TRUE(Has(prefix_ + "one"));
  registration.reset();
  EXPECT_FALSE(Has(prefix_ + "one")) << "a clean stop revokes the lease at once";
}

TEST_F(EtcdTest, AbandonedRegistrationExpiresWithinItsTtl) {
  EtcdRegistration registration(*etcd_, prefix_ + "one", "127.0.0.1:9001", kTtl);
  ASSERT_TRUE(Has(prefix_ + "one"));
  registration.Abandon();  // as if the process had crashed
  EXPECT_FALSE(registration.registered());
  EXPECT_TRUE(Has(prefix_ + "one"));
  // etcd checks expiry every 500 ms, so allow TTL + that + slack.
  EXPECT_TRUE(Eventually([&] { return !Has(prefix_ + "one"); }, kTtl + 1500ms));
}

TEST_F(EtcdTest, WatchReportsAdditionsAndRemovals) {
  ASSERT_TRUE(etcd_->Put(prefix_ + "0", "already").ok());
  Recorder seen;
  EtcdWatch watch(*etcd_, prefix_, seen.Callback());
  EXPECT_EQ(seen.Calls(), 1) << "the current set is reported once at start";
  EXPECT_EQ(seen.Values(), std::vector<std::string>{"already"});

  auto a = std::make_unique<EtcdRegistration>(*etcd_, prefix_ + "a", "A", kTtl);
  EtcdRegistration b(*etcd_, prefix_ + "b", "B", kTtl);
  EXPECT_TRUE(Eventually([&] {
    return seen.Values() == std::vector<std::string>{"already", "A", "B"};
  })) << seen.Values().size();
  a.reset();
  ASSERT_TRUE(etcd_->Delete(prefix_ + "0").ok());
  EXPECT_TRUE(Eventually([&] { return seen.Values() == std::vector<std::string>{"B"}; }));

  // Keys outside the prefix and rewrites with the same value change nothing visible.
  const int calls = seen.Calls();
  ASSERT_TRUE(etcd_->Put(prefix_.substr(0, prefix_.size() - 1) + "x/c", "C").ok());
  ASSERT_TRUE(etcd_->Put(prefix_ + "b", "B").ok());
  ASSERT_TRUE(etcd_->Put(prefix_ + "z", "Z").ok());  // a marker the watch must see
  EXPECT_TRUE(Eventually([&] { return seen.Values() == std::vector<std::string>{"B", "Z"}; }));
  EXPECT_EQ(seen.Calls(), calls + 1);
}

// A consumer that throws the next `armed` times it is called, then records like Recorder.
struct FailingConsumer {
  Recorder seen;
  std::atomic<int> armed{0};
  std::atomic<int> thrown{0};

  std::function<void(std::vector<std::string>)> Callback() {
    return [this, record = seen.Callback()](std::vector<std::string> v) {
      if (armed > 0) {
        --armed;
        ++thrown;
        throw std::runtime_error("consumer failed");
      }
      record(std::move(v));
    };
  }
};

TEST_F(EtcdTest, StreamHandlerThatThrowsEndsTheStreamWithAnError) {
  // The exception must not unwind through libcurl: it comes back as a Status once curl has
  // returned, and the transfer is aborted rather than left running.
  const std::string body = R"({"create_request":{"key":")" + etcd_wire::Base64Encode(prefix_) +
                           R"(","range_end":")" +
                           etcd_wire::Base64Encode(etcd_wire::PrefixEnd(prefix_)) + R"("}})";
  HttpStreamCancel cancel;
  int lines = 0;
  Status status = PostJsonStream(
      server_->endpoint() + "/v3/watch", body, 2s,
      [&](std::string_view) -> bool {
        ++lines;
        throw std::runtime_error("handler failed on purpose");
      },
      cancel);
  EXPECT_EQ(lines, 1) << "the transfer goes on after the handler threw";
  EXPECT_EQ(status.code, Code::kInternal);
  EXPECT_EQ(status.reason, "INTERNAL");
  EXPECT_NE(status.message.find("handler failed on purpose"), std::string::npos) << status.message;
}

TEST_F(EtcdTest, WatchOffersTheSetAgainWhenItsConsumerThrowsAtStart) {
  ASSERT_TRUE(etcd_->Put(prefix_ + "a", "A").ok());
  FailingConsumer consumer;
  consumer.armed = 1;
  EtcdWatch watch(*etcd_, prefix_, consumer.Callback());  // the first offer throws
  EXPECT_EQ(consumer.thrown.load(), 1);
  EXPECT_TRUE(Eventually([&] { return consumer.seen.Values() == std::vector<std::string>{"A"}; }));
  // Still following changes afterwards.
  ASSERT_TRUE(etcd_->Put(prefix_ + "b", "B").ok());
  EXPECT_TRUE(Eventually([&] {
    return consumer.seen.Values() == std::vector<std::string>{"A", "B"};
  }));
}

TEST_F(EtcdTest, WatchSurvivesAConsumerThatThrowsOnAStreamedChange) {
  ASSERT_TRUE(etcd_->Put(prefix_ + "a", "A").ok());
  FailingConsumer consumer;
  EtcdWatch watch(*etcd_, prefix_, consumer.Callback());
  ASSERT_EQ(consumer.seen.Values(), std::vector<std::string>{"A"});

  // The change arrives on the watch stream, inside libcurl's write callback.
  consumer.armed = 1;
  ASSERT_TRUE(etcd_->Put(prefix_ + "b", "B").ok());
  EXPECT_TRUE(Eventually([&] {
    return consumer.seen.Values() == std::vector<std::string>{"A", "B"};
  }));
  EXPECT_EQ(consumer.thrown.load(), 1);
  ASSERT_TRUE(etcd_->Put(prefix_ + "c", "C").ok());
  EXPECT_TRUE(Eventually([&] {
    return consumer.seen.Values() == std::vector<std::string>{"A", "B", "C"};
  }));
}

TEST_F(EtcdTest, ChannelSetRoundRobinsOverRegisteredInstances) {
  RpcConfig config;
  config.etcd_prefix = prefix_;
  EtcdRegistration one(*etcd_, prefix_ + "video/127.0.0.1:19001", "127.0.0.1:19001", kTtl);
  auto two = std::make_unique<EtcdRegistration>(*etcd_, prefix_ + "video/127.0.0.1:19002",
                                                "127.0.0.1:19002", kTtl);
  EtcdRegistration other(*etcd_, prefix_ + "user/127.0.0.1:19003", "127.0.0.1:19003", kTtl);

  auto set = MakeEtcdChannelSet("video", config, *etcd_);
  EXPECT_EQ(Sorted(set->Addresses()),
            (std::vector<std::string>{"127.0.0.1:19001", "127.0.0.1:19002"}));
  auto first = set->Pick();
  auto second = set->Pick();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(first, second);
  EXPECT_EQ(set->Pick(), first);

  two.reset();
  EXPECT_TRUE(
      Eventually([&] { return set->Addresses() == std::vector<std::string>{"127.0.0.1:19001"}; }));
  auto only = set->Pick();
  EXPECT_EQ(set->Pick(), only);
  EXPECT_EQ(only, first) << "the surviving instance keeps its channel";
}

TEST_F(EtcdTest, ChannelSetIsEmptyWithoutInstances) {
  RpcConfig config;
  config.etcd_prefix = prefix_;
  auto set = MakeEtcdChannelSet("feed", config, *etcd_);
  EXPECT_TRUE(set->Addresses().empty());
  EXPECT_EQ(set->Pick(), nullptr);
  EtcdRegistration late(*etcd_, prefix_ + "feed/a", "127.0.0.1:19005", kTtl);
  EXPECT_TRUE(Eventually([&] { return set->Pick() != nullptr; }));
}

// Its own etcd, stopped and started again under the running watch and registrations.
class EtcdRestartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error = server_.Start();
    ASSERT_TRUE(error.empty()) << error;
    etcd_ = std::make_unique<EtcdClient>(std::vector<std::string>{server_.endpoint()}, 500ms);
    config_.etcd_prefix = "/restart/";
  }
  std::vector<std::string> Keys() {
    auto snapshot = etcd_->GetPrefix("/restart/");
    std::vector<std::string> keys;
    if (snapshot.ok()) {
      for (const auto& [key, value] : snapshot->values) keys.push_back(key);
    }
    return keys;
  }

  EtcdTestServer server_;
  std::unique_ptr<EtcdClient> etcd_;
  RpcConfig config_;
};

TEST_F(EtcdRestartTest, WatchAndRegistrationsSurviveARestart) {
  EtcdRegistration a(*etcd_, "/restart/svc/a", "127.0.0.1:19011", kTtl);
  auto b = std::make_unique<EtcdRegistration>(*etcd_, "/restart/svc/b", "127.0.0.1:19012", kTtl);
  auto set = MakeEtcdChannelSet("svc", config_, *etcd_);
  ASSERT_EQ(set->Addresses().size(), 2u);

  server_.Stop();
  std::this_thread::sleep_for(300ms);
  // Clients keep what they knew while etcd is away.
  EXPECT_EQ(set->Addresses().size(), 2u);
  std::string error = server_.Start();
  ASSERT_TRUE(error.empty()) << error;

  // Changes after the restart reach the set only through a re-established watch.
  b.reset();
  EtcdRegistration c(*etcd_, "/restart/svc/c", "127.0.0.1:19013", kTtl);
  EXPECT_TRUE(Eventually([&] {
    return Sorted(set->Addresses()) ==
           std::vector<std::string>{"127.0.0.1:19011", "127.0.0.1:19013"};
  })) << set->Addresses().size();
  EXPECT_TRUE(a.registered());
}

TEST_F(EtcdRestartTest, RegistrationReturnsAfterEtcdLosesItsData) {
  EtcdRegistration a(*etcd_, "/restart/svc/a", "127.0.0.1:19021", kTtl);
  auto set = MakeEtcdChannelSet("svc", config_, *etcd_);
  ASSERT_EQ(set->Addresses(), std::vector<std::string>{"127.0.0.1:19021"});

  server_.Stop();
  server_.WipeData();
  std::string error = server_.Start();
  ASSERT_TRUE(error.empty()) << error;

  // The old lease is unknown to the new store: the keep-alive notices and writes the key
  // again under a new lease.
  EXPECT_TRUE(Eventually([&] { return Keys() == std::vector<std::string>{"/restart/svc/a"}; }));
  // The new store's revisions start over; the watch must follow it from a fresh read.
  EtcdRegistration b(*etcd_, "/restart/svc/b", "127.0.0.1:19022", kTtl);
  EXPECT_TRUE(Eventually([&] {
    return Sorted(set->Addresses()) ==
           std::vector<std::string>{"127.0.0.1:19021", "127.0.0.1:19022"};
  }));
}

}  // namespace
}  // namespace reel::rpc
