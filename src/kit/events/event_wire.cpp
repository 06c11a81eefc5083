#include "kit/events/event_wire.hpp"

#include <optional>
#include <string>

namespace reel::events {
namespace {

v1::EventKind WireKind(EventKind kind) {
  switch (kind) {
    case EventKind::kVideoPublished:
      return v1::VIDEO_PUBLISHED;
    case EventKind::kVideoUpdated:
      return v1::VIDEO_UPDATED;
    case EventKind::kVideoDeleted:
      return v1::VIDEO_DELETED;
    case EventKind::kUserRegistered:
      return v1::USER_REGISTERED;
    case EventKind::kUserUpdated:
      return v1::USER_UPDATED;
    case EventKind::kVideoLiked:
      return v1::VIDEO_LIKED;
    case EventKind::kVideoUnliked:
      return v1::VIDEO_UNLIKED;
    case EventKind::kCommentCreated:
      return v1::COMMENT_CREATED;
    case EventKind::kCommentDeleted:
      return v1::COMMENT_DELETED;
  }
  return v1::EVENT_KIND_UNSPECIFIED;
}

std::optional<EventKind> KindOf(v1::EventKind kind) {
  switch (kind) {
    case v1::VIDEO_PUBLISHED:
      return EventKind::kVideoPublished;
    case v1::VIDEO_UPDATED:
      return EventKind::kVideoUpdated;
    case v1::VIDEO_DELETED:
      return EventKind::kVideoDeleted;
    case v1::USER_REGISTERED:
      return EventKind::kUserRegistered;
    case v1::USER_UPDATED:
      return EventKind::kUserUpdated;
    case v1::VIDEO_LIKED:
      return EventKind::kVideoLiked;
    case v1::VIDEO_UNLIKED:
      return EventKind::kVideoUnliked;
    case v1::COMMENT_CREATED:
      return EventKind::kCommentCreated;
    case v1::COMMENT_DELETED:
      return EventKind::kCommentDeleted;
    default:
      return std::nullopt;  // UNSPECIFIED, or a kind from a newer proto
  }
}

}  // namespace

v1::Event ToWire(const Event& event) {
  v1::Event wire;
  wire.set_kind(WireKind(event.kind));
  wire.set_subject_id(event.subject_id);
  wire.set_actor_id(event.actor_id);
  wire.set_at_ms(event.at_ms);
  wire.set_id(event.id);
  wire.set_trace_parent(event.trace_parent);
  return wire;
}

Result<Event> FromWire(const v1::Event& wire) {
  const auto kind = KindOf(wire.kind());
  if (!kind) {
    return InvalidArgument("EVENT_KIND_INVALID",
                           "unknown event kind " + std::to_string(static_cast<int>(wire.kind())));
  }
  Event event = MakeEvent(*kind, wire.subject_id(), wire.actor_id(), wire.at_ms());
  event.id = wire.id();
  event.trace_parent = wire.trace_parent();
  return event;
}

}  // namespace reel::events
