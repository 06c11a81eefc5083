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

EventForwarder::EventForwarder(EventSink& local, std::vector<EventPeer> peers,
                               const rpc::RpcConfig& config, const Clock& clock, std::string self)
    : local_(local),
      peers_(std::move(peers)),
      config_(config),
      clock_(clock),
      self_(std::move(self)) {}

std::shared_ptr<EventForwarder::Caller> EventForwarder::CallerFor(const EventPeer& peer,
                                                                  const std::string& address) {
  const std::lock_guard lock(mu_);
  std::shared_ptr<Caller>& caller = callers_[peer.name + " " + address];
  if (!caller) {
    caller = std::make_shared<Caller>(
        peer.name, std::make_unique<rpc::DynamicChannelSet>(std::vector<std::string>{address}),
        config_, clock_);
  }
  return caller;
}

void EventForwarder::Publish(const Event& event) {
  local_.Publish(event);
  const v1::Event wire = ToWire(event);
  for (const EventPeer& peer : peers_) {
    if (!peer.kinds.contains(event.kind)) continue;
    const std::vector<std::string> addresses = peer.instances->Addresses();
    if (addresses.empty()) {
      log::Warn("event delivery failed", {{"peer", peer.name},
                                          {"kind", NameOf(event.kind)},
                                          {"subject_id", event.subject_id},
                                          {"reason", "DEPENDENCY_UNAVAILABLE"},
                                          {"error", "no instance of " + peer.name + " is known"}});
      continue;
    }
    for (const std::string& address : addresses) {
      if (address == self_) continue;
      // kRead: a repeated delivery is harmless (subscribers re-read the subject), so the
      // caller may retry once after a transport failure.
      auto delivered =
          CallerFor(peer, address)
              ->Call("Deliver", rpc::CallKind::kRead, wire, &v1::EventRelay::Stub::Deliver);
      if (!delivered.ok()) {
        log::Warn("event delivery failed", {{"peer", peer.name},
                                            {"instance", address},
                                            {"kind", NameOf(event.kind)},
                                            {"subject_id", event.subject_id},
                                            {"reason", delivered.status().reason},
                                            {"error", delivered.status().message}});
      }
    }
  }
}

}  // namespace reel::events
