// The cluster event path over real gRPC on 127.0.0.1: an EventForwarder publishing in one
// "process" (its own InProcessEventBus) and an EventRelayService in front of another bus.
#include "kit/events/event_relay.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kit/events/event_wire.hpp"
#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/grpc_server.hpp"

namespace reel::events {
namespace {

using namespace std::chrono_literals;

// A process's bus with one subscriber that keeps what it was given.
struct RecordingBus {
  RecordingBus() {
    bus.Subscribe("recorder", [this](const Event& e) { seen.push_back(e); });
  }
  std::vector<EventKind> Kinds() const {
    std::vector<EventKind> kinds;
    for (const Event& e : seen) kinds.push_back(e.kind);
    return kinds;
  }
  InProcessEventBus bus;
  std::vector<Event> seen;
};

// A receiving process: its bus behind an EventRelay on a real gRPC server.
struct Receiver {
  Receiver() { server.Start(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(server.port()); }

  RecordingBus subscribers;
  EventRelayService relay{subscribers.bus};
  rpc::GrpcServer server{"127.0.0.1", 0, {&relay}};
};

rpc::RpcConfig FastConfig() {
  rpc::RpcConfig config;
  config.deadline = 500ms;
  config.retry_jitter = 5ms;
  return config;
}

// An address nobody listens on: a server's port once it has stopped.
std::string DeadAddress() {
  NullEventSink nobody;
  EventRelayService unused{nobody};
  rpc::GrpcServer server("127.0.0.1", 0, {&unused});
  server.Start();
  const int port = server.port();
  server.Shutdown(0ms);
  return "127.0.0.1:" + std::to_string(port);
}

class EventRelayTest : public ::testing::Test {
 protected:
  EventPeer PeerAt(std::string name, std::vector<std::string> addresses,
                   std::set<EventKind> kinds) {
    return EventPeer{std::move(name), std::move(kinds),
                     std::make_unique<rpc::DynamicChannelSet>(std::move(addresses))};
  }
  EventPeer PeerAt(std::string name, const std::string& address, std::set<EventKind> kinds) {
    return PeerAt(std::move(name), std::vector<std::string>{address}, std::move(kinds));
  }
  std::unique_ptr<EventForwarder> Forwarder(EventSink& local, std::vector<EventPeer> peers,
                                            std::string self = "") {
    return std::make_unique<EventForwarder>(local, std::move(peers), config_, clock_,
                                            std::move(self));
  }

  rpc::RpcConfig config_ = FastConfig();
  SystemClock clock_;
};

TEST_F(EventRelayTest, DeliversOnlyTheSubscribedKindsBeforePublishReturns) {
  Receiver search;
  RecordingBus local;
  std::vector<EventPeer> peers;
  peers.push_back(
      PeerAt("search", search.address(),
             {EventKind::kVideoPublished, EventKind::kVideoDeleted, EventKind::kUserUpdated}));
  auto forwarder = Forwarder(local.bus, std::move(peers));

  forwarder->Publish(MakeEvent(EventKind::kVideoPublished, 41, 7, 1000));
  // Synchronous: the peer's subscribers have run by the time Publish returns.
  ASSERT_EQ(search.subscribers.seen.size(), 1u);
  forwarder->Publish(MakeEvent(EventKind::kVideoLiked, 41, 8, 1001));
  forwarder->Publish(MakeEvent(EventKind::kCommentCreated, 41, 9, 1002));
  forwarder->Publish(MakeEvent(EventKind::kVideoDeleted, 41, 7, 1003));

  EXPECT_EQ(local.Kinds(),
            (std::vector<EventKind>{EventKind::kVideoPublished, EventKind::kVideoLiked,
                                    EventKind::kCommentCreated, EventKind::kVideoDeleted}));
  EXPECT_EQ(search.subscribers.Kinds(),
            (std::vector<EventKind>{EventKind::kVideoPublished, EventKind::kVideoDeleted}));
  EXPECT_EQ(search.subscribers.seen.front(), MakeEvent(EventKind::kVideoPublished, 41, 7, 1000));
}

TEST_F(EventRelayTest, EachPeerGetsItsOwnKinds) {
  Receiver favorite;
  Receiver comment;
  RecordingBus local;
  std::vector<EventPeer> peers;
  peers.push_back(PeerAt("favorite", favorite.address(), {EventKind::kVideoDeleted}));
  peers.push_back(
      PeerAt("comment", comment.address(), {EventKind::kVideoDeleted, EventKind::kUserUpdated}));
  auto forwarder = Forwarder(local.bus, std::move(peers));

  forwarder->Publish(MakeEvent(EventKind::kUserUpdated, 3, 3, 10));
  forwarder->Publish(MakeEvent(EventKind::kVideoDeleted, 5, 3, 11));
  forwarder->Publish(MakeEvent(EventKind::kUserRegistered, 4, 4, 12));

  EXPECT_EQ(favorite.subscribers.Kinds(), (std::vector<EventKind>{EventKind::kVideoDeleted}));
  EXPECT_EQ(comment.subscribers.Kinds(),
            (std::vector<EventKind>{EventKind::kUserUpdated, EventKind::kVideoDeleted}));
  EXPECT_EQ(local.seen.size(), 3u);
}

TEST_F(EventRelayTest, DeadPeerFailsNeitherThePublisherNorTheOtherPeers) {
  Receiver alive;
  RecordingBus local;
  std::vector<EventPeer> peers;
  peers.push_back(PeerAt("dead", DeadAddress(), {EventKind::kVideoPublished}));
  peers.push_back(PeerAt("alive", alive.address(), {EventKind::kVideoPublished}));
  auto forwarder = Forwarder(local.bus, std::move(peers));

  const auto start = std::chrono::steady_clock::now();
  EXPECT_NO_THROW(forwarder->Publish(MakeEvent(EventKind::kVideoPublished, 9, 1, 20)));
  // At most two attempts of one deadline each, plus the jitter between them.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2 * config_.deadline + 500ms);

  ASSERT_EQ(local.seen.size(), 1u);
  EXPECT_EQ(local.seen.front().subject_id, 9);
  ASSERT_EQ(alive.subscribers.seen.size(), 1u);
  EXPECT_EQ(alive.subscribers.seen.front().subject_id, 9);
}

// Discovery that knows no instance, counting how often the caller looked for one.
class NoInstances final : public rpc::ChannelSet {
 public:
  explicit NoInstances(std::atomic<int>& picks) : picks_(picks) {}
  std::shared_ptr<grpc::Channel> Pick() override {
    ++picks_;
    return nullptr;
  }
  std::vector<std::string> Addresses() const override { return {}; }

 private:
  std::atomic<int>& picks_;
};

TEST_F(EventRelayTest, PeerWithNoKnownInstanceIsSkipped) {
  Receiver after;
  RecordingBus local;
  std::atomic<int> picks{0};
  std::vector<EventPeer> peers;
  peers.push_back(
      EventPeer{"nowhere", {EventKind::kVideoLiked}, std::make_unique<NoInstances>(picks)});
  peers.push_back(PeerAt("after", after.address(), {EventKind::kVideoLiked}));
  auto forwarder = Forwarder(local.bus, std::move(peers));

  EXPECT_NO_THROW(forwarder->Publish(MakeEvent(EventKind::kVideoLiked, 2, 1, 30)));
  EXPECT_EQ(local.Kinds(), (std::vector<EventKind>{EventKind::kVideoLiked}));
  // The peer lists no instance, so nothing is called (instances are listed, never picked)
  // ... and it is passed over: the peer after it still got the event.
  EXPECT_EQ(picks.load(), 0);
  EXPECT_EQ(after.subscribers.Kinds(), (std::vector<EventKind>{EventKind::kVideoLiked}));
}

// Replicas: every instance of a subscribing service gets every event of its kinds (each
// video replica keeps its own search index), not one of them round robin.
TEST_F(EventRelayTest, EveryInstanceOfAPeerGetsEachEvent) {
  Receiver first;
  Receiver second;
  RecordingBus local;
  std::vector<EventPeer> peers;
  peers.push_back(PeerAt("video", {first.address(), second.address()},
                         {EventKind::kVideoPublished, EventKind::kVideoDeleted}));
  auto forwarder = Forwarder(local.bus, std::move(peers));

  forwarder->Publish(MakeEvent(EventKind::kVideoPublished, 7, 1, 40));
  forwarder->Publish(MakeEvent(EventKind::kVideoLiked, 7, 2, 41));
  forwarder->Publish(MakeEvent(EventKind::kVideoDeleted, 7, 1, 42));

  const std::vector<EventKind> expected = {EventKind::kVideoPublished, EventKind::kVideoDeleted};
  EXPECT_EQ(first.subscribers.Kinds(), expected);
  EXPECT_EQ(second.subscribers.Kinds(), expected);
  EXPECT_EQ(local.seen.size(), 3u);
}

// A replica that is down costs its own retry, and the others still get the event.
TEST_F(EventRelayTest, DeadInstanceIsSkippedAndTheOthersStillGetTheEvent) {
  Receiver first;
  Receiver last;
  RecordingBus local;
  std::vector<EventPeer> peers;
  peers.push_back(PeerAt("video", {first.address(), DeadAddress(), last.address()},
                         {EventKind::kVideoPublished}));
  auto forwarder = Forwarder(local.bus, std::move(peers));

  for (std::int64_t id = 1; id <= 3; ++id) {
    EXPECT_NO_THROW(forwarder->Publish(MakeEvent(EventKind::kVideoPublished, id, 1, 50)));
  }
  EXPECT_EQ(first.subscribers.seen.size(), 3u);
  EXPECT_EQ(last.subscribers.seen.size(), 3u);
  EXPECT_EQ(local.seen.size(), 3u);
}

// The publisher's own address is in its own service's list (replicas share one target
// list); its subscribers heard the event in-process, so it is not delivered to them again.
TEST_F(EventRelayTest, OwnAddressIsSkipped) {
  Receiver self;
  Receiver other;
  std::vector<EventPeer> peers;
  peers.push_back(PeerAt("video", {self.address(), other.address()}, {EventKind::kVideoPublished}));
  auto forwarder = Forwarder(self.subscribers.bus, std::move(peers), self.address());

  forwarder->Publish(MakeEvent(EventKind::kVideoPublished, 5, 1, 60));
  EXPECT_EQ(self.subscribers.seen.size(), 1u);  // once, in-process
  EXPECT_EQ(other.subscribers.seen.size(), 1u);
}

TEST_F(EventRelayTest, RelayRefusesAnEventWithoutAKnownKind) {
  Receiver receiver;
  rpc::RpcCaller<v1::EventRelay> caller(
      "events",
      std::make_unique<rpc::DynamicChannelSet>(std::vector<std::string>{receiver.address()}),
      config_, clock_);

  v1::Event unspecified = ToWire(MakeEvent(EventKind::kVideoLiked, 1, 1, 1));
  unspecified.set_kind(v1::EVENT_KIND_UNSPECIFIED);
  auto refused =
      caller.Call("Deliver", rpc::CallKind::kRead, unspecified, &v1::EventRelay::Stub::Deliver);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code, Code::kInvalidArgument);
  EXPECT_EQ(refused.status().reason, "EVENT_KIND_INVALID");

  // kind = 999 as a newer peer would send it (field 1, varint 999).
  v1::Event from_the_future;
  ASSERT_TRUE(from_the_future.ParseFromString(std::string("\x08\xe7\x07", 3)));
  ASSERT_EQ(static_cast<int>(from_the_future.kind()), 999);
  EXPECT_EQ(
      caller.Call("Deliver", rpc::CallKind::kRead, from_the_future, &v1::EventRelay::Stub::Deliver)
          .status()
          .reason,
      "EVENT_KIND_INVALID");
  EXPECT_TRUE(receiver.subscribers.seen.empty());

  // A good event on the same connection still goes through.
  EXPECT_TRUE(caller
                  .Call("Deliver", rpc::CallKind::kRead,
                        ToWire(MakeEvent(EventKind::kVideoLiked, 1, 1, 1)),
                        &v1::EventRelay::Stub::Deliver)
                  .ok());
  EXPECT_EQ(receiver.subscribers.Kinds(), (std::vector<EventKind>{EventKind::kVideoLiked}));
}

TEST(EventWire, EveryKindCrossesAProcessUnchanged) {
  const EventKind kinds[] = {
      EventKind::kVideoPublished, EventKind::kVideoUpdated,   EventKind::kVideoDeleted,
      EventKind::kUserRegistered, EventKind::kUserUpdated,    EventKind::kVideoLiked,
      EventKind::kVideoUnliked,   EventKind::kCommentCreated, EventKind::kCommentDeleted};
  std::set<int> wire_kinds;
  for (EventKind kind : kinds) {
    const Event event = MakeEvent(kind, 12, 34, 56);
    const v1::Event wire = ToWire(event);
    // Each kind has a wire kind of its own, named as the log names it.
    EXPECT_EQ(v1::EventKind_Name(wire.kind()), NameOf(kind));
    wire_kinds.insert(wire.kind());
    auto back = FromWire(wire);
    ASSERT_TRUE(back.ok()) << NameOf(kind);
    EXPECT_EQ(*back, event);
  }
  EXPECT_EQ(wire_kinds.size(), std::size(kinds));
  EXPECT_FALSE(wire_kinds.contains(v1::EVENT_KIND_UNSPECIFIED));
}

}  // namespace
}  // namespace reel::events
