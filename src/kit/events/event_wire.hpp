#pragma once

#include "events/v1/events.pb.h"
#include "kit/events/event.hpp"
#include "kit/status/status.hpp"

namespace reel::events {

/// An event in its wire form (events.v1.Event), for a delivery to another process.
v1::Event ToWire(const Event& event);

/// An event received from another process. Errors: EVENT_KIND_INVALID (INVALID_ARGUMENT)
/// for EVENT_KIND_UNSPECIFIED or a kind this build does not know (proto3 enums are open: a
/// peer built from a newer proto may send one).
Result<Event> FromWire(const v1::Event& wire);

}  // namespace reel::events
