#include "favorite/api/favorite_events.hpp"

namespace reel::favorite {

events::InProcessEventBus::Handler FavoriteEventHandler(FavoriteService& service) {
  return [&service](const events::Event& event) {
    if (event.kind == events::EventKind::kVideoDeleted)
      service.RemoveLikesOfVideo(event.subject_id);
  };
}

}  // namespace reel::favorite
