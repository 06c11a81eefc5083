#pragma once

#include <cstdint>

#include "kit/json/json_writer.hpp"
#include "kit/status/status.hpp"
#include "views/media_urls.hpp"
#include "views/user_views.hpp"

namespace reel::views {

/// Writes Douyin video objects (id, author, play_url, cover_url, favorite_count,
/// comment_count, is_favorite, title) for a page of videos, with a fixed number of service
/// calls per page: never one per video.
class VideoViews {
 public:
  VideoViews(UserViews& users, const ServiceClients& clients, const MediaUrls& urls)
      : users_(users), clients_(clients), urls_(urls) {}

  /// Writes `"video_list": [...]` into the open object `w`, as seen by `viewer` (0:
  /// anonymous). Videos whose author no longer exists are left out.
  Status WriteVideoList(json::JsonWriter& w,
                        const google::protobuf::RepeatedPtrField<video::v1::Video>& videos,
                        std::int64_t viewer);

 private:
  UserViews& users_;
  ServiceClients clients_;
  const MediaUrls& urls_;
};

}  // namespace reel::views
