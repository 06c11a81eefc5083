#include "views/lookups.hpp"

namespace reel::views {

Result<std::optional<std::int64_t>> AuthorOfVideo(video::VideoClient& videos, std::int64_t video_id,
                                                  std::int64_t viewer_id, bool all_states) {
  video::v1::GetVideosRequest request;
  request.add_video_ids(video_id);
  request.set_viewer_id(viewer_id);
  request.set_all_states(all_states);
  auto reply = videos.GetVideos(request);
  if (!reply.ok()) return reply.status();
  if (reply->videos().empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(reply->videos(0).author_id());
}

Result<bool> UserExists(user::UserClient& users, std::int64_t user_id) {
  user::v1::BatchGetUsersRequest request;
  request.add_user_ids(user_id);
  auto reply = users.BatchGetUsers(request);
  if (!reply.ok()) return reply.status();
  return !reply->users().empty();
}

}  // namespace reel::views
