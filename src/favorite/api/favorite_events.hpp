#pragma once

#include "favorite/domain/collection_service.hpp"
#include "favorite/domain/favorite_service.hpp"
#include "kit/events/event_bus.hpp"

namespace reel::favorite {

/// What the favorite service does with other services' events: on VIDEO_DELETED the
/// video's likes, bookmarks and shares go, with exact counters (repeated delivery changes
/// nothing); every other kind is ignored. Subscribe it as "favorite"; `service` and
/// `collections` must outlive the bus.
events::InProcessEventBus::Handler FavoriteEventHandler(FavoriteService& service,
                                                        CollectionService& collections);

}  // namespace reel::favorite
