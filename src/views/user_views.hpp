#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>

#include "kit/status/status.hpp"
#include "user/api/user_client.hpp"
#include "video/api/video_client.hpp"

namespace reel::views {

/// Assembles user objects as clients see them: the profile from the user service and each
/// counter from the service that owns it, with one call per service however many users are
/// asked for. `viewer` (0: anonymous) is who is looking, for is_follow.
class UserViews {
 public:
  /// `videos` may be null in a process that cannot reach the video service: work counts
  /// then stay 0 and everything else is still answered.
  UserViews(user::UserClient& users, video::VideoClient* videos) : users_(users), videos_(videos) {}

  /// The users that exist among `ids`, by id.
  Result<std::unordered_map<std::int64_t, user::v1::User>> Get(std::span<const std::int64_t> ids,
                                                               std::int64_t viewer);
  /// One user. Errors: USER_NOT_FOUND.
  Result<user::v1::User> GetOne(std::int64_t id, std::int64_t viewer);

 private:
  user::UserClient& users_;
  video::VideoClient* videos_;
};

}  // namespace reel::views
