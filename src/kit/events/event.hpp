#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace reel::events {

/// What happened. Subscribers read the current state of the subject from the service that
/// owns it, so an event only names the subject: repeated or late delivery is harmless.
enum class EventKind {
  kVideoPublished,  ///< subject: video id; actor: author
  kVideoUpdated,    ///< subject: video id; actor: author
  kVideoDeleted,    ///< subject: video id; actor: author
  kUserRegistered,  ///< subject and actor: user id
  kUserUpdated,     ///< subject and actor: user id
  kVideoLiked,      ///< subject: video id; actor: who liked it
  kVideoUnliked,    ///< subject: video id; actor: who took the like back
  kCommentCreated,  ///< subject: video id; actor: commenter
  kCommentDeleted,  ///< subject: video id; actor: the comment's author
};

/// The kind's name as logs show it ("VIDEO_PUBLISHED", as the wire enum spells it).
std::string_view NameOf(EventKind kind);

/// A committed change as a service reports it. Plain data, so the domains that publish and
/// the modules that subscribe depend on no wire format; `events.v1.Event` (proto) is its
/// form between processes, converted only there (kit/events/event_wire.hpp). Fields are
/// added here (an id, a version, ...) and given defaults, so existing producers still
/// compile.
struct Event {
  EventKind kind = EventKind::kVideoPublished;
  std::int64_t subject_id = 0;
  std::int64_t actor_id = 0;
  std::int64_t at_ms = 0;  ///< when the change was committed, unix milliseconds
  /// Unique per event (events::NewEventId, given by the outbox): what consumers, logs and
  /// dead letters name it by.
  std::string id;
  /// The W3C traceparent of the request that caused it (empty when none was traced).
  std::string trace_parent;

  bool operator==(const Event&) const = default;
};

/// An event stamped by the caller: `at_ms` is when the change was committed.
inline Event MakeEvent(EventKind kind, std::int64_t subject_id, std::int64_t actor_id,
                       std::int64_t at_ms) {
  return Event{.kind = kind, .subject_id = subject_id, .actor_id = actor_id, .at_ms = at_ms};
}

}  // namespace reel::events
