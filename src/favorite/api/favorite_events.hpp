#pragma once

#include "favorite/domain/favorite_service.hpp"
#include "kit/events/event_bus.hpp"

namespace reel::favorite {

/// What the favorite service does with other services' events: on VIDEO_DELETED the
/// video's likes go, with exact counters (repeated delivery changes nothing); every other
/// kind is ignored. Subscribe it as "favorite"; `service` must outlive the bus.
events::InProcessEventBus::Handler FavoriteEventHandler(FavoriteService& service);

}  // namespace reel::favorite
