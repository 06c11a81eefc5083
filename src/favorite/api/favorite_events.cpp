#include "favorite/api/favorite_events.hpp"

namespace reel::favorite {

events::InProcessEventBus::Handler FavoriteEventHandler(FavoriteService& service,
                                                        CollectionService& collections) {
  return [&service, &collections](const events::Event& event) {
    if (event.kind != events::EventKind::kVideoDeleted) return;
    service.RemoveLikesOfVideo(event.subject_id);
    collections.RemoveCollectionsOfVideo(event.subject_id);
  };
}

}  // namespace reel::favorite
