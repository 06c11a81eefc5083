#include "comment/api/comment_events.hpp"

namespace reel::comment {

events::InProcessEventBus::Handler CommentEventHandler(CommentService& service) {
  return [&service](const events::Event& event) {
    if (event.kind == events::EventKind::kVideoDeleted) {
      service.RemoveCommentsOfVideo(event.subject_id);
    }
  };
}

}  // namespace reel::comment
