#pragma once

#include <grpcpp/server_context.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "events/v1/events.grpc.pb.h"
#include "kit/clock/clock.hpp"
#include "kit/events/event_bus.hpp"
#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/rpc_caller.hpp"

namespace reel::events {

/// The receiving end of cluster events: Deliver hands the event to this process's own
/// subscribers (`local`, its InProcessEventBus) and answers OK once they have run. It never
/// forwards further, so events cannot loop between processes. An event without a known
/// kind is refused (INVALID_ARGUMENT EVENT_KIND_INVALID) and delivered to nobody.
/// Thread-safe as `local` is; `local` must outlive the server.
class EventRelayService final : public v1::EventRelay::Service {
 public:
  explicit EventRelayService(EventSink& local) : local_(local) {}

  grpc::Status Deliver(grpc::ServerContext* context, const v1::Event* wire,
                       v1::DeliverReply* reply) override;

 private:
  EventSink& local_;
};

/// A service whose processes receive some kinds of events: `name` for logs, the `kinds`
/// its subscribers care about, and where its instances are (a static list, or discovery
/// kept current by etcd: the addresses known when an event is published are used).
struct EventPeer {
  std::string name;
  std::set<EventKind> kinds;
  std::unique_ptr<rpc::ChannelSet> instances;
};

/// The publishing end in a cluster: Publish gives the event to this process's own
/// subscribers first, then Delivers it to EVERY known instance of every peer service
/// subscribed to its kind, one after the other on the publishing thread, so that when
/// Publish returns every reachable subscriber has seen the change (each video replica's
/// search index has the video before the upload answers). Every instance, not one: some
/// subscribers keep per-process state (a search index), and the others' handlers are
/// idempotent (a deleted video's likes are deleted once, then found gone). Delivery to an
/// instance is retried once; one that still fails is logged at warn and skipped, never
/// failing the write that published nor the other instances. `self` (this process's own
/// gRPC address) is never called: its subscribers already ran. Thread-safe.
class EventForwarder final : public EventSink {
 public:
  EventForwarder(EventSink& local, std::vector<EventPeer> peers, const rpc::RpcConfig& config,
                 const Clock& clock, std::string self = "");

  void Publish(const Event& event) override;

 private:
  using Caller = rpc::RpcCaller<v1::EventRelay>;
  // One caller per instance (its own breaker), made when the address is first seen.
  std::shared_ptr<Caller> CallerFor(const EventPeer& peer, const std::string& address);

  EventSink& local_;
  std::vector<EventPeer> peers_;
  const rpc::RpcConfig config_;
  const Clock& clock_;
  const std::string self_;
  std::mutex mu_;
  // By "<peer name> <address>"; guarded by mu_.
  std::map<std::string, std::shared_ptr<Caller>> callers_;
};

}  // namespace reel::events
