#pragma once

#include <grpcpp/server_context.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "events/v1/events.grpc.pb.h"
#include "kit/events/event_bus.hpp"
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

/// A process that receives some kinds of events: `name` for logs, the `kinds` its
/// subscribers care about, and how to call its EventRelay.
struct EventPeer {
  std::string name;
  std::set<EventKind> kinds;
  std::unique_ptr<rpc::RpcCaller<v1::EventRelay>> caller;
};

/// The publishing end in a cluster: Publish gives the event to this process's own
/// subscribers first, then Delivers it to every peer subscribed to its kind, one after the
/// other on the publishing thread, so that when Publish returns every reachable subscriber
/// has seen the change (the search index has the video before the upload answers).
/// Delivery is idempotent and is retried once; a peer that still fails is logged at warn
/// and skipped, never failing the write that published. Thread-safe.
class EventForwarder final : public EventSink {
 public:
  EventForwarder(EventSink& local, std::vector<EventPeer> peers);

  void Publish(const Event& event) override;

 private:
  EventSink& local_;
  std::vector<EventPeer> peers_;
};

}  // namespace reel::events
