#pragma once

#include <cstdint>

#include "favorite/api/favorite_client.hpp"
#include "kit/status/status.hpp"

namespace reel::favorite {

/// Calls one of the caller-on-a-video actions (Like, Unlike, Collect, Uncollect) for
/// `user_id` on `video_id`; answers whether it changed anything. Errors: the call's.
template <typename Request, typename Reply>
Result<bool> VideoAction(FavoriteClient& favorites,
                         Result<Reply> (FavoriteClient::*action)(const Request&),
                         std::int64_t user_id, std::int64_t video_id) {
  Request request;
  request.set_user_id(user_id);
  request.set_video_id(video_id);
  auto reply = (favorites.*action)(request);
  if (!reply.ok()) return reply.status();
  return reply->changed();
}

/// One video's stat as `viewer` sees it, read back after an action rather than computed, so
/// that concurrent actions by others are included. A video with no row has zero counts.
Result<v1::VideoFavoriteStat> StatAfter(FavoriteClient& favorites, std::int64_t viewer,
                                        std::int64_t video_id);

}  // namespace reel::favorite
