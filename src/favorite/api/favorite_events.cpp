#include "favorite/api/favorite_events.hpp"

namespace reel::favorite {

events::InProcessEventBus::Handler FavoriteEventHandler(FavoriteService& service) {
  return [&service](const events::v1::Event& event) {
    if (event.kind() == events::v1::VIDEO_DELETED) service.RemoveLikesOfVideo(event.subject_id());
  };
}

}  // namespace reel::favorite
