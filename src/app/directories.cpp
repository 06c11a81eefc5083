#include "app/directories.hpp"

namespace reel::app {

Result<std::optional<std::int64_t>> VideoAuthors::AuthorOf(std::int64_t video_id) {
  video::v1::GetVideosRequest request;
  request.add_video_ids(video_id);
  auto reply = videos_.GetVideos(request);
  if (!reply.ok()) return reply.status();
  if (reply->videos().empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(reply->videos(0).author_id());
}

Result<bool> KnownUsers::Exists(std::int64_t user_id) {
  user::v1::BatchGetUsersRequest request;
  request.add_user_ids(user_id);
  auto reply = users_.BatchGetUsers(request);
  if (!reply.ok()) return reply.status();
  return !reply->users().empty();
}

}  // namespace reel::app
