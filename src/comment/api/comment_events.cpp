#include "comment/api/comment_events.hpp"

namespace reel::comment {

events::InProcessEventBus::Handler CommentEventHandler(CommentService& service) {
  return [&service](const events::v1::Event& event) {
    if (event.kind() == events::v1::VIDEO_DELETED) {
      service.RemoveCommentsOfVideo(event.subject_id());
    }
  };
}

}  // namespace reel::comment
