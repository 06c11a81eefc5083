#include "favorite/domain/favorite_rules.hpp"

#include <chrono>
#include <string>

namespace reel::favorite {

Status CheckUser(std::int64_t user_id) {
  if (user_id > 0) return Status::Ok();
  return InvalidArgument("USER_ID_INVALID", "user_id must be positive");
}

Status VideoNotFound(std::int64_t video_id) {
  return NotFound("VIDEO_NOT_FOUND", "video " + std::to_string(video_id) + " does not exist");
}

Result<std::int64_t> AuthorOfVisible(VideoDirectory& videos, std::int64_t video_id,
                                     std::int64_t user_id) {
  auto author = videos.AuthorOf(video_id, user_id);
  if (!author.ok()) return author.status();
  if (!*author) return VideoNotFound(video_id);
  return **author;
}

bool GoneSince(VideoDirectory& videos, std::int64_t video_id) {
  auto again = videos.AuthorOf(video_id, VideoDirectory::kAllStates);
  return again.ok() && !*again;
}

Status CheckUserExists(UserDirectory& users, std::int64_t user_id) {
  auto exists = users.Exists(user_id);
  if (!exists.ok()) return exists.status();
  if (!*exists) {
    return NotFound("USER_NOT_FOUND", "user " + std::to_string(user_id) + " does not exist");
  }
  return Status::Ok();
}

std::int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

}  // namespace reel::favorite
