#include "views/video_views.hpp"

#include <vector>

#include "user/api/user_json.hpp"

namespace reel::views {

Status VideoViews::WriteVideoList(
    json::JsonWriter& w, const google::protobuf::RepeatedPtrField<video::v1::Video>& videos,
    std::int64_t viewer) {
  std::vector<std::int64_t> author_ids;
  author_ids.reserve(videos.size());
  favorite::v1::VideoStatsRequest favorites_request;
  favorites_request.set_viewer_id(viewer);
  comment::v1::CountCommentsRequest comments_request;
  for (const auto& v : videos) {
    author_ids.push_back(v.author_id());
    favorites_request.add_video_ids(v.id());
    comments_request.add_video_ids(v.id());
  }
  auto authors = users_.Get(author_ids, viewer);
  if (!authors.ok()) return authors.status();
  favorite::v1::VideoStatsReply favorites;
  if (clients_.favorites && !videos.empty()) {
    auto reply = clients_.favorites->VideoStats(favorites_request);
    if (!reply.ok()) return reply.status();
    favorites = std::move(*reply);
  }
  comment::v1::CountCommentsReply comments;
  if (clients_.comments && !videos.empty()) {
    auto reply = clients_.comments->CountByVideos(comments_request);
    if (!reply.ok()) return reply.status();
    comments = std::move(*reply);
  }

  w.BeginArray("video_list");
  for (const auto& v : videos) {
    auto author = authors->find(v.author_id());
    if (author == authors->end()) continue;
    const auto stat = favorites.stats().find(v.id());
    const auto count = comments.counts().find(v.id());
    const bool has_stat = stat != favorites.stats().end();
    w.BeginObject().Field("id", v.id()).Key("author");
    user::WriteUserJson(w, author->second);
    w.Field("play_url", urls_.Of(v.play_key()))
        .Field("cover_url", urls_.Of(v.cover_key()))
        .Field("favorite_count", has_stat ? stat->second.favorite_count() : std::int64_t{0})
        .Field("comment_count", count != comments.counts().end() ? count->second : std::int64_t{0})
        .Field("is_favorite", has_stat && viewer != 0 && stat->second.liked_by_viewer())
        .Field("title", v.title())
        .EndObject();
  }
  w.EndArray();
  return Status::Ok();
}

}  // namespace reel::views
