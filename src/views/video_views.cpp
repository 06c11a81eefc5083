#include "views/video_views.hpp"

#include <vector>

#include "user/api/user_json.hpp"

namespace reel::views {

Result<VideoViews::PageContext> VideoViews::Load(
    const google::protobuf::RepeatedPtrField<video::v1::Video>& videos, std::int64_t viewer) {
  PageContext page;
  if (videos.empty()) return page;
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
  if (authors.ok()) {
    page.authors = std::move(*authors);
  } else if (DegradeWhenDown(authors.status(), "authors")) {
    // Without the user service the videos are still worth showing: authors by id only.
    for (std::int64_t id : author_ids) page.authors[id].set_id(id);
  } else {
    return authors.status();
  }
  if (clients_.favorites) {
    auto reply = clients_.favorites->VideoStats(favorites_request);
    if (reply.ok()) {
      page.favorites = std::move(*reply);
    } else if (!DegradeWhenDown(reply.status(), "favorite counts")) {
      return reply.status();
    }
  }
  if (clients_.comments) {
    auto reply = clients_.comments->CountByVideos(comments_request);
    if (reply.ok()) {
      page.comments = std::move(*reply);
    } else if (!DegradeWhenDown(reply.status(), "comment counts")) {
      return reply.status();
    }
  }
  return page;
}

bool VideoViews::WriteOne(json::JsonWriter& w, const video::v1::Video& v, const PageContext& page,
                          std::int64_t viewer) const {
  auto author = page.authors.find(v.author_id());
  if (author == page.authors.end()) return false;
  const auto stat = page.favorites.stats().find(v.id());
  const auto count = page.comments.counts().find(v.id());
  const bool has_stat = stat != page.favorites.stats().end();
  w.BeginObject().Field("id", v.id()).Key("author");
  user::WriteUserJson(w, author->second);
  w.Field("play_url", urls_.Of(v.play_key()))
      .Field("cover_url", urls_.Of(v.cover_key()))
      .Field("favorite_count", has_stat ? stat->second.favorite_count() : std::int64_t{0})
      .Field("comment_count",
             count != page.comments.counts().end() ? count->second : std::int64_t{0})
      .Field("is_favorite", has_stat && viewer != 0 && stat->second.liked_by_viewer())
      .Field("title", v.title())
      .Field("description", v.description())
      .BeginArray("tags");
  for (const std::string& tag : v.tags()) w.Value(tag);
  w.EndArray()
      .Field("created_at", v.created_at_ms())
      .Field("width", std::int64_t{v.width()})
      .Field("height", std::int64_t{v.height()})
      .Field("duration_ms", v.duration_ms())
      .EndObject();
  return true;
}

Status VideoViews::WriteVideoArray(
    json::JsonWriter& w, std::string_view key,
    const google::protobuf::RepeatedPtrField<video::v1::Video>& videos, std::int64_t viewer) {
  auto page = Load(videos, viewer);
  if (!page.ok()) return page.status();
  w.BeginArray(key);
  for (const auto& v : videos) WriteOne(w, v, *page, viewer);
  w.EndArray();
  return Status::Ok();
}

Status VideoViews::WriteVideoObject(json::JsonWriter& w, std::string_view key,
                                    const video::v1::Video& video, std::int64_t viewer) {
  google::protobuf::RepeatedPtrField<video::v1::Video> one;
  *one.Add() = video;
  auto page = Load(one, viewer);
  if (!page.ok()) return page.status();
  // A video whose author is gone is not shown anywhere, so it is not found here either.
  if (!page->authors.contains(video.author_id())) {
    return NotFound("VIDEO_NOT_FOUND", "no video with id " + std::to_string(video.id()));
  }
  w.Key(key);
  WriteOne(w, video, *page, viewer);
  return Status::Ok();
}

}  // namespace reel::views
