#pragma once

#include <cstdint>
#include <optional>

#include "comment/domain/video_directory.hpp"
#include "favorite/domain/video_directory.hpp"
#include "relation/domain/user_directory.hpp"
#include "user/api/user_client.hpp"
#include "video/api/video_client.hpp"

namespace reel::app {

/// Answers the favorite and comment services' "does this video exist, and whose is it?"
/// through the video service's client, so neither opens the video tables.
class VideoAuthors final : public favorite::VideoDirectory, public comment::VideoDirectory {
 public:
  explicit VideoAuthors(video::VideoClient& videos) : videos_(videos) {}
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id) override;

 private:
  video::VideoClient& videos_;
};

/// Answers the relation service's "does this user exist?" through the user service.
class KnownUsers final : public relation::UserDirectory {
 public:
  explicit KnownUsers(user::UserClient& users) : users_(users) {}
  Result<bool> Exists(std::int64_t user_id) override;

 private:
  user::UserClient& users_;
};

}  // namespace reel::app
