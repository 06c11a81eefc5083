#include "favorite/api/video_page_answer.hpp"

#include <utility>

#include "kit/http/api_page.hpp"

namespace reel::favorite {

Result<http::Response> VideoPageAnswer(video::VideoClient& videos, views::VideoViews& views,
                                       const google::protobuf::RepeatedField<std::int64_t>& ids,
                                       std::int64_t viewer_id, std::int64_t next_cursor) {
  video::v1::GetVideosReply found;
  if (!ids.empty()) {
    video::v1::GetVideosRequest get;
    *get.mutable_video_ids() = ids;
    get.set_viewer_id(viewer_id);
    auto reply = videos.GetVideos(get);
    if (!reply.ok()) return reply.status();
    found = std::move(*reply);
  }
  json::JsonWriter w;
  w.BeginObject();
  if (Status s = views.WriteVideoArray(w, "videos", found.videos(), viewer_id); !s.ok()) return s;
  http::WriteApiPageEnd(w, next_cursor);
  w.EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace reel::favorite
