#include "kit/events/event_relay.hpp"

#include <cstdint>
#include <utility>

#include "kit/log/log.hpp"
#include "kit/rpc/grpc_status.hpp"

namespace reel::events {

grpc::Status EventRelayService::Deliver(grpc::ServerContext*, const v1::Event* event,
                                        v1::DeliverReply*) {
  // proto3 enums are open: a peer built from a newer proto may send a kind nobody here knows.
  if (event->kind() == v1::EVENT_KIND_UNSPECIFIED || !v1::EventKind_IsValid(event->kind())) {
    return rpc::ToGrpcStatus(
        InvalidArgument("EVENT_KIND_INVALID",
                        "unknown event kind " + std::to_string(static_cast<int>(event->kind()))));
  }
  local_.Publish(*event);
  return grpc::Status::OK;
}

EventForwarder::EventForwarder(EventSink& local, std::vector<EventPeer> peers)
    : local_(local), peers_(std::move(peers)) {}

void EventForwarder::Publish(const v1::Event& event) {
  local_.Publish(event);
  for (EventPeer& peer : peers_) {
    if (!peer.kinds.contains(event.kind())) continue;
    // kRead: a repeated delivery is harmless (subscribers re-read the subject), so the
    // caller may retry once after a transport failure.
    auto delivered =
        peer.caller->Call("Deliver", rpc::CallKind::kRead, event, &v1::EventRelay::Stub::Deliver);
    if (!delivered.ok()) {
      log::Warn("event delivery failed", {{"peer", peer.name},
                                          {"kind", v1::EventKind_Name(event.kind())},
                                          {"subject_id", std::int64_t{event.subject_id()}},
                                          {"reason", delivered.status().reason},
                                          {"error", delivered.status().message}});
    }
  }
}

}  // namespace reel::events
