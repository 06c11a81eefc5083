#pragma once

#include <google/protobuf/repeated_field.h>

#include <cstdint>

#include "kit/http/message.hpp"
#include "kit/status/status.hpp"
#include "video/api/video_client.hpp"
#include "views/video_views.hpp"

namespace reel::favorite {

/// The /api answer for one page of a video list (liked, collected): `videos` as `viewer_id`
/// (0: anonymous) may see them, then next_cursor and has_more. One GetVideos call for the
/// whole page; it keeps the order of `video_ids` and leaves out videos that no longer exist
/// or that the viewer may not see (another's private video). Errors: the video service's.
Result<http::Response> VideoPageAnswer(video::VideoClient& videos, views::VideoViews& views,
                                       const google::protobuf::RepeatedField<std::int64_t>& ids,
                                       std::int64_t viewer_id, std::int64_t next_cursor);

}  // namespace reel::favorite
