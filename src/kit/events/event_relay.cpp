#include "kit/events/event_relay.hpp"

#include <cstdint>
#include <utility>

#include "kit/events/event_wire.hpp"
#include "kit/log/log.hpp"
#include "kit/rpc/grpc_status.hpp"

namespace reel::events {

grpc::Status EventRelayService::Deliver(grpc::ServerContext*, const v1::Event* wire,
                                        v1::DeliverReply*) {
  auto event = FromWire(*wire);
  if (!event.ok()) return rpc::ToGrpcStatus(event.status());
  local_.Publish(*event);
  return grpc::Status::OK;
}

EventForwarder::EventForwarder(EventSink& local, std::vector<EventPeer> peers)
    : local_(local), peers_(std::move(peers)) {}

void EventForwarder::Publish(const Event& event) {
  local_.Publish(event);
  const v1::Event wire = ToWire(event);
  for (EventPeer& peer : peers_) {
    if (!peer.kinds.contains(event.kind)) continue;
    // kRead: a repeated delivery is harmless (subscribers re-read the subject), so the
    // caller may retry once after a transport failure.
    auto delivered =
        peer.caller->Call("Deliver", rpc::CallKind::kRead, wire, &v1::EventRelay::Stub::Deliver);
    if (!delivered.ok()) {
      log::Warn("event delivery failed", {{"peer", peer.name},
                                          {"kind", NameOf(event.kind)},
                                          {"subject_id", event.subject_id},
                                          {"reason", delivered.status().reason},
                                          {"error", delivered.status().message}});
    }
  }
}

}  // namespace reel::events
