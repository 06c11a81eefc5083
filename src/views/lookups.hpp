#pragma once

#include <cstdint>
#include <optional>

#include "kit/status/status.hpp"
#include "user/api/user_client.hpp"
#include "video/api/video_client.hpp"

namespace reel::views {

// The one-question look-ups other services' domains need (their VideoDirectory and
// UserDirectory ports, implemented in their modules), asked through the owner's client, so
// no one opens another service's tables.

/// The author of a video, nullopt when the video does not exist or `viewer_id` (0:
/// anonymous) may not see it (another's private or unapproved video); with `all_states`
/// whenever it exists (a service's own bookkeeping). Errors: why the video service could not
/// be asked (never taken for "no video").
Result<std::optional<std::int64_t>> AuthorOfVideo(video::VideoClient& videos, std::int64_t video_id,
                                                  std::int64_t viewer_id = 0,
                                                  bool all_states = false);

/// Whether a user exists. Errors: why the user service could not be asked.
Result<bool> UserExists(user::UserClient& users, std::int64_t user_id);

}  // namespace reel::views
