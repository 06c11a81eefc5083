#include "kit/events/event_bus.hpp"

#include <exception>

#include "kit/log/log.hpp"

namespace reel::events {

std::string_view NameOf(EventKind kind) {
  switch (kind) {
    case EventKind::kVideoPublished:
      return "VIDEO_PUBLISHED";
    case EventKind::kVideoUpdated:
      return "VIDEO_UPDATED";
    case EventKind::kVideoDeleted:
      return "VIDEO_DELETED";
    case EventKind::kUserRegistered:
      return "USER_REGISTERED";
    case EventKind::kUserUpdated:
      return "USER_UPDATED";
    case EventKind::kVideoLiked:
      return "VIDEO_LIKED";
    case EventKind::kVideoUnliked:
      return "VIDEO_UNLIKED";
    case EventKind::kCommentCreated:
      return "COMMENT_CREATED";
    case EventKind::kCommentDeleted:
      return "COMMENT_DELETED";
  }
  return "EVENT_KIND_UNKNOWN";  // a value cast from outside the enumerators
}

void InProcessEventBus::Subscribe(std::string name, Handler handler) {
  subscribers_.push_back({std::move(name), std::move(handler)});
}

void InProcessEventBus::Publish(const Event& event) {
  for (const Subscriber& s : subscribers_) {
    try {
      s.handler(event);
    } catch (const std::exception& e) {
      // The write is committed; one broken consumer must not hide it from the rest.
      log::Error("event subscriber failed", {{"subscriber", s.name},
                                             {"kind", NameOf(event.kind)},
                                             {"subject_id", event.subject_id},
                                             {"error", e.what()}});
    }
  }
}

}  // namespace reel::events
