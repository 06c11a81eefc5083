#include "kit/events/event_bus.hpp"

#include <exception>

#include "kit/log/log.hpp"

namespace reel::events {

void InProcessEventBus::Subscribe(std::string name, Handler handler) {
  subscribers_.push_back({std::move(name), std::move(handler)});
}

void InProcessEventBus::Publish(const v1::Event& event) {
  for (const Subscriber& s : subscribers_) {
    try {
      s.handler(event);
    } catch (const std::exception& e) {
      // The write is committed; one broken consumer must not hide it from the rest.
      log::Error("event subscriber failed", {{"subscriber", s.name},
                                             {"kind", v1::EventKind_Name(event.kind())},
                                             {"subject_id", std::int64_t{event.subject_id()}},
                                             {"error", e.what()}});
    }
  }
}

v1::Event MakeEvent(v1::EventKind kind, std::int64_t subject_id, std::int64_t actor_id,
                    std::int64_t at_ms) {
  v1::Event event;
  event.set_kind(kind);
  event.set_subject_id(subject_id);
  event.set_actor_id(actor_id);
  event.set_at_ms(at_ms);
  return event;
}

}  // namespace reel::events
