#include "views/video_views.hpp"

#include <vector>

#include "user/api/user_json.hpp"

namespace reel::views {

Status VideoViews::WriteVideoList(
    json::JsonWriter& w, const google::protobuf::RepeatedPtrField<video::v1::Video>& videos,
    std::int64_t viewer) {
  std::vector<std::int64_t> author_ids;
  author_ids.reserve(videos.size());
  for (const auto& v : videos) author_ids.push_back(v.author_id());
  auto authors = users_.Get(author_ids, viewer);
  if (!authors.ok()) return authors.status();

  w.BeginArray("video_list");
  for (const auto& v : videos) {
    auto author = authors->find(v.author_id());
    if (author == authors->end()) continue;
    w.BeginObject().Field("id", v.id()).Key("author");
    user::WriteUserJson(w, author->second);
    w.Field("play_url", urls_.Of(v.play_key()))
        .Field("cover_url", urls_.Of(v.cover_key()))
        .Field("favorite_count", std::int64_t{0})
        .Field("comment_count", std::int64_t{0})
        .Field("is_favorite", false)
        .Field("title", v.title())
        .EndObject();
  }
  w.EndArray();
  return Status::Ok();
}

}  // namespace reel::views
