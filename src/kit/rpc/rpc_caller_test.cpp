#include "kit/rpc/rpc_caller.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "kit/rpc/rpc_test_relay.hpp"

namespace reel::rpc {
namespace {

using namespace std::chrono_literals;
using Relay = rpc_test::v1::Relay;
using testing::LocalAddress;
using testing::StartRelayServer;
using testing::TestRelay;

RpcConfig FastConfig() {
  RpcConfig config;
  config.deadline = 300ms;
  config.retry_jitter = 20ms;
  config.breaker_window = 1s;
  return config;
}

// `clock` drives the breaker's window; tests that look at the window pass a ManualClock.
std::unique_ptr<RpcCaller<Relay>> CallerFor(const std::string& target, const Clock& clock) {
  const RpcConfig config = FastConfig();
  return std::make_unique<RpcCaller<Relay>>(
      "relay", MakeChannelSet("relay", target, config, nullptr), config, clock);
}

std::unique_ptr<RpcCaller<Relay>> CallerFor(const std::string& target) {
  static const SystemClock clock;
  return CallerFor(target, clock);
}

Result<rpc_test::v1::Ack> Deliver(RpcCaller<Relay>& caller, CallKind kind) {
  rpc_test::v1::Note note;
  note.set_kind(7);
  return caller.Call("Deliver", kind, note, &Relay::Stub::Deliver);
}

// A few answered calls first: a fresh breaker with one failure and no accepts rejects the
// retry with probability 1/2, which is right for a dead dependency but not what these tests
// look at.
void WarmUp(RpcCaller<Relay>& caller, int calls = 3) {
  for (int i = 0; i < calls; ++i) ASSERT_TRUE(Deliver(caller, CallKind::kWrite).ok());
}

// The address of a server that ran and is gone: a replica killed.
std::string DeadAddress() {
  TestRelay gone;
  auto server = StartRelayServer(gone);
  return LocalAddress(server->port());
}

std::chrono::milliseconds Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

TEST(RpcCallerTest, CallReachesTheServerAndCountsAsAccepted) {
  TestRelay relay;
  auto server = StartRelayServer(relay);
  auto caller = CallerFor(LocalAddress(server->port()));
  for (int i = 0; i < 5; ++i) {
    Result<rpc_test::v1::Ack> reply = Deliver(*caller, CallKind::kWrite);
    ASSERT_TRUE(reply.ok()) << reply.status().message;
  }
  EXPECT_EQ(relay.hits, 5);
  EXPECT_EQ(caller->breaker().RejectProbability(), 0.0);
}

TEST(RpcCallerTest, SlowHandlerFailsWithDependencyTimeoutNearTheDeadline) {
  TestRelay relay;
  relay.delay_ms = 3000;
  auto server = StartRelayServer(relay);
  auto caller = CallerFor(LocalAddress(server->port()));
  const auto start = std::chrono::steady_clock::now();
  Result<rpc_test::v1::Ack> reply = Deliver(*caller, CallKind::kWrite);
  const auto took = Since(start);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code, Code::kUnavailable);
  EXPECT_EQ(reply.status().reason, "DEPENDENCY_TIMEOUT");
  EXPECT_NE(reply.status().message.find("relay.Deliver"), std::string::npos);
  EXPECT_LT(took, 300ms + 500ms);
  EXPECT_EQ(relay.hits, 1);  // a write is never retried
}

TEST(RpcCallerTest, TimedOutReadIsRetriedExactlyOnce) {
  TestRelay relay;
  auto server = StartRelayServer(relay);
  auto caller = CallerFor(LocalAddress(server->port()));
  WarmUp(*caller);
  relay.hits = 0;
  relay.delay_ms = 3000;
  const auto start = std::chrono::steady_clock::now();
  Result<rpc_test::v1::Ack> reply = Deliver(*caller, CallKind::kRead);
  const auto took = Since(start);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().reason, "DEPENDENCY_TIMEOUT");
  EXPECT_LT(took, 2 * 300ms + 20ms + 500ms);
  EXPECT_EQ(relay.hits, 2);
}

TEST(RpcCallerTest, TransportUnavailableRetriesReadsOnceAndWritesNever) {
  TestRelay relay;
  auto server = StartRelayServer(relay);
  auto caller = CallerFor(LocalAddress(server->port()));
  WarmUp(*caller, 4);
  relay.hits = 0;
  // What a proxy or an overloaded gRPC server sends: UNAVAILABLE without reel details.
  relay.AnswerWith(grpc::Status(grpc::StatusCode::UNAVAILABLE, "overloaded"));

  Result<rpc_test::v1::Ack> read = Deliver(*caller, CallKind::kRead);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().reason, "DEPENDENCY_UNAVAILABLE");
  EXPECT_EQ(read.status().message, "relay.Deliver: the service is not reachable");
  EXPECT_EQ(relay.hits, 2);

  Result<rpc_test::v1::Ack> write = Deliver(*caller, CallKind::kWrite);
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.status().reason, "DEPENDENCY_UNAVAILABLE");
  EXPECT_EQ(relay.hits, 3);
  // 7 requests, 4 accepted: (7 − 8) < 0 still; three more failures tip it over.
  EXPECT_EQ(caller->breaker().RejectProbability(), 0.0);
  for (int i = 0; i < 3; ++i) (void)Deliver(*caller, CallKind::kWrite);
  EXPECT_GT(caller->breaker().RejectProbability(), 0.0);
}

TEST(RpcCallerTest, BusinessErrorComesBackExactlyAndIsNotRetried) {
  TestRelay relay;
  relay.AnswerWith(ToGrpcStatus(NotFound("VIDEO_NOT_FOUND", "no video 7")));
  auto server = StartRelayServer(relay);
  auto caller = CallerFor(LocalAddress(server->port()));
  for (int i = 0; i < 20; ++i) {
    Result<rpc_test::v1::Ack> reply = Deliver(*caller, CallKind::kRead);
    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.status().code, Code::kNotFound);
    EXPECT_EQ(reply.status().reason, "VIDEO_NOT_FOUND");
    EXPECT_EQ(reply.status().message, "no video 7");
  }
  EXPECT_EQ(relay.hits, 20);
  EXPECT_EQ(caller->breaker().RejectProbability(), 0.0);  // answers count as accepted
}

TEST(RpcCallerTest, ServiceSaysUnavailableIsAnAnswerNotATransportFailure) {
  TestRelay relay;
  // The called service's own dependency is down; it says so with reel details.
  relay.AnswerWith(ToGrpcStatus(Unavailable("DEPENDENCY_TIMEOUT", "user.GetUsers: slow")));
  auto server = StartRelayServer(relay);
  auto caller = CallerFor(LocalAddress(server->port()));
  Result<rpc_test::v1::Ack> reply = Deliver(*caller, CallKind::kRead);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().reason, "DEPENDENCY_TIMEOUT");
  EXPECT_EQ(reply.status().message, "user.GetUsers: slow");
  EXPECT_EQ(relay.hits, 1);
  EXPECT_EQ(caller->breaker().RejectProbability(), 0.0);
}

TEST(RpcCallerTest, BreakerOpensWhileTheServerIsDownAndClosesWhenItIsBack) {
  // The breaker's window moves only when the test says so: everything below happens
  // "within the window" until the Advance, however slowly the machine runs it.
  ManualClock clock;
  auto relay = std::make_unique<TestRelay>();
  auto server = StartRelayServer(*relay);
  const int port = server->port();
  auto caller = CallerFor(LocalAddress(port), clock);
  ASSERT_TRUE(Deliver(*caller, CallKind::kWrite).ok());

  server->Shutdown(0ms);
  server.reset();
  // A burst of calls while nothing listens: the first fail in transport, then the
  // breaker answers most of them locally.
  int throttled = 0;
  int unavailable = 0;
  for (int i = 0; i < 40; ++i) {
    Result<rpc_test::v1::Ack> reply = Deliver(*caller, CallKind::kWrite);
    ASSERT_FALSE(reply.ok());
    if (reply.status().reason == "DEPENDENCY_THROTTLED") ++throttled;
    if (reply.status().reason == "DEPENDENCY_UNAVAILABLE") ++unavailable;
  }
  EXPECT_EQ(throttled + unavailable, 40);
  EXPECT_GE(unavailable, 2);  // p is 0 until requests exceed 2 · accepts
  EXPECT_GE(throttled, 20);
  EXPECT_GT(caller->breaker().RejectProbability(), 0.9);

  // Back on the same port, but the breaker still remembers: throttled calls are answered
  // locally and never reach the server (every hit is a call that went through).
  relay = std::make_unique<TestRelay>();
  server = StartRelayServer(*relay, port);
  int sent_ok = 0;
  throttled = 0;
  for (int i = 0; i < 20; ++i) {
    Result<rpc_test::v1::Ack> reply = Deliver(*caller, CallKind::kWrite);
    if (reply.ok()) ++sent_ok;
    if (reply.status().reason == "DEPENDENCY_THROTTLED") ++throttled;
  }
  EXPECT_GE(throttled, 10);
  EXPECT_EQ(relay->hits, sent_ok);
  EXPECT_GT(caller->breaker().RejectProbability(), 0.0);

  // Once the failures have left the window the calls go through again. gRPC reconnects on
  // its own (real) backoff, so wait for the channel first: a call failing on a channel still
  // backing off would be counted in the new window.
  std::shared_ptr<grpc::Channel> channel = caller->channels().Pick();
  ASSERT_NE(channel, nullptr);
  ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + 10s));
  clock.Advance(FastConfig().breaker_window);
  EXPECT_EQ(caller->breaker().RejectProbability(), 0.0);
  const int hits_before = relay->hits;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Deliver(*caller, CallKind::kWrite).ok()) << i;
  EXPECT_EQ(relay->hits, hits_before + 10);
  EXPECT_EQ(caller->breaker().RejectProbability(), 0.0);
}

TEST(RpcCallerTest, StaticTargetsAreCalledRoundRobin) {
  std::mutex log_mu;
  std::vector<std::string> log;
  TestRelay a("a", &log, &log_mu);
  TestRelay b("b", &log, &log_mu);
  auto server_a = StartRelayServer(a);
  auto server_b = StartRelayServer(b);
  auto caller = CallerFor(LocalAddress(server_a->port()) + ", " + LocalAddress(server_b->port()));
  EXPECT_EQ(
      caller->channels().Addresses(),
      (std::vector<std::string>{LocalAddress(server_a->port()), LocalAddress(server_b->port())}));
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(Deliver(*caller, CallKind::kRead).ok());
  EXPECT_EQ(log, (std::vector<std::string>{"a", "b", "a", "b", "a", "b"}));
}

TEST(RpcCallerTest, ReadRetryGoesToTheNextInstance) {
  TestRelay down;
  TestRelay up;
  auto server_down = StartRelayServer(down);
  auto server_up = StartRelayServer(up);
  auto caller =
      CallerFor(LocalAddress(server_down->port()) + "," + LocalAddress(server_up->port()));
  WarmUp(*caller, 4);  // two calls each; the next call goes to `down` again
  down.hits = 0;
  up.hits = 0;
  down.AnswerWith(grpc::Status(grpc::StatusCode::UNAVAILABLE, "draining"));
  Result<rpc_test::v1::Ack> reply = Deliver(*caller, CallKind::kRead);
  ASSERT_TRUE(reply.ok()) << reply.status().message;
  EXPECT_EQ(down.hits, 1);
  EXPECT_EQ(up.hits, 1);
}

// One replica killed: a fresh caller (a process that just started) whose first call meets
// the dead one still answers every read through the live one; the breaker, which would
// reject half of such retries after one failure, leaves them alone.
TEST(RpcCallerTest, DeadReplicaCostsNoReadEvenToAFreshBreaker) {
  TestRelay up;
  auto server_up = StartRelayServer(up);
  const std::string dead = DeadAddress();
  for (int fresh = 0; fresh < 20; ++fresh) {
    auto caller = CallerFor(dead + "," + LocalAddress(server_up->port()));
    for (int call = 0; call < 4; ++call) {
      Result<rpc_test::v1::Ack> reply = Deliver(*caller, CallKind::kRead);
      ASSERT_TRUE(reply.ok()) << "caller " << fresh << ", call " << call << ": "
                              << reply.status().message;
    }
  }
}

// Writes are never retried, so a dead replica costs the write sent to it; after that the
// instance rests (ChannelSet::ReportFailure) and the writes go to the live one.
TEST(RpcCallerTest, DeadReplicaCostsAProcessOneWrite) {
  TestRelay up;
  auto server_up = StartRelayServer(up);
  const std::string dead = DeadAddress();
  static const SystemClock clock;
  // A rest far longer than the test, so a slow machine cannot wake the dead one mid-way.
  RpcCaller<Relay> caller(
      "relay",
      std::make_unique<DynamicChannelSet>(
          std::vector<std::string>{dead, LocalAddress(server_up->port())}, std::chrono::hours(1)),
      FastConfig(), clock);
  // Nor does the breaker, fresh and one failure old, refuse the writes the live replica can
  // take (it would refuse half of them, and more after each refusal).
  int failed = 0;
  for (int call = 0; call < 20; ++call) {
    Result<rpc_test::v1::Ack> reply = Deliver(caller, CallKind::kWrite);
    if (!reply.ok()) {
      ++failed;
      EXPECT_NE(reply.status().reason, "DEPENDENCY_THROTTLED") << "call " << call;
    }
  }
  EXPECT_LE(failed, 1);
  EXPECT_EQ(up.hits, 20 - failed);
}

TEST(RpcCallerTest, NoKnownInstanceIsDependencyUnavailable) {
  ManualClock clock;
  auto channels = std::make_unique<DynamicChannelSet>();
  DynamicChannelSet& set = *channels;
  RpcCaller<Relay> caller("relay", std::move(channels), FastConfig(), clock);
  Result<rpc_test::v1::Ack> reply = Deliver(caller, CallKind::kRead);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().reason, "DEPENDENCY_UNAVAILABLE");
  EXPECT_NE(reply.status().message.find("no relay instance"), std::string::npos);

  // Discovery reports an instance: the same caller reaches it.
  TestRelay relay;
  auto server = StartRelayServer(relay);
  set.Update({LocalAddress(server->port())});
  clock.Advance(FastConfig().breaker_window);  // the failures above leave the breaker's window
  ASSERT_TRUE(Deliver(caller, CallKind::kRead).ok());
  EXPECT_EQ(relay.hits, 1);
}

TEST(RpcCallerTest, DnsTargetBalancesThroughGrpc) {
  TestRelay relay;
  auto server = StartRelayServer(relay);
  const std::string target = "dns:///" + LocalAddress(server->port());
  auto caller = CallerFor(target);
  EXPECT_EQ(caller->channels().Addresses(), std::vector<std::string>{target});
  for (int i = 0; i < 3; ++i) {
    Result<rpc_test::v1::Ack> reply = Deliver(*caller, CallKind::kRead);
    ASSERT_TRUE(reply.ok()) << reply.status().message;
  }
  EXPECT_EQ(relay.hits, 3);
}

}  // namespace
}  // namespace reel::rpc
