#pragma once

#include "comment/domain/comment_service.hpp"
#include "kit/events/event_bus.hpp"

namespace reel::comment {

/// What the comment service does with other services' events: on VIDEO_DELETED the video's
/// comments go, with its count (repeated delivery changes nothing); every other kind is
/// ignored. Subscribe it as "comment"; `service` must outlive the bus.
events::InProcessEventBus::Handler CommentEventHandler(CommentService& service);

}  // namespace reel::comment
