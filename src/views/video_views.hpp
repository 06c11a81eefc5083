#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "kit/json/json_writer.hpp"
#include "kit/status/status.hpp"
#include "views/media_urls.hpp"
#include "views/user_views.hpp"

namespace reel::views {

/// Writes video objects for a page of videos, with a fixed number of service calls per
/// page: never one per video. One shape serves both APIs: the Douyin fields (id, author,
/// play_url, cover_url, favorite_count, comment_count, is_favorite, title) followed by
/// description, tags, created_at (ms), width, height and duration_ms.
class VideoViews {
 public:
  VideoViews(UserViews& users, const ServiceClients& clients, const MediaUrls& urls)
      : users_(users), clients_(clients), urls_(urls) {}

  /// Writes `"video_list": [...]` into the open object `w`, as seen by `viewer` (0:
  /// anonymous). Videos whose author no longer exists are left out.
  Status WriteVideoList(json::JsonWriter& w,
                        const google::protobuf::RepeatedPtrField<video::v1::Video>& videos,
                        std::int64_t viewer) {
    return WriteVideoArray(w, "video_list", videos, viewer);
  }
  /// The same under any key (`"videos"` on /api).
  Status WriteVideoArray(json::JsonWriter& w, std::string_view key,
                         const google::protobuf::RepeatedPtrField<video::v1::Video>& videos,
                         std::int64_t viewer);
  /// Writes `"<key>": {...}` for one video. Errors: VIDEO_NOT_FOUND when its author is gone.
  Status WriteVideoObject(json::JsonWriter& w, std::string_view key, const video::v1::Video& video,
                          std::int64_t viewer);

 private:
  /// What a page's objects need from other services, fetched once per page.
  struct PageContext {
    std::unordered_map<std::int64_t, user::v1::User> authors;
    favorite::v1::VideoStatsReply favorites;
    comment::v1::CountCommentsReply comments;
  };
  Result<PageContext> Load(const google::protobuf::RepeatedPtrField<video::v1::Video>& videos,
                           std::int64_t viewer);
  /// Writes `v` as an array element or value; false (nothing written) when its author is gone.
  bool WriteOne(json::JsonWriter& w, const video::v1::Video& v, const PageContext& page,
                std::int64_t viewer) const;

  UserViews& users_;
  ServiceClients clients_;
  const MediaUrls& urls_;
};

}  // namespace reel::views
