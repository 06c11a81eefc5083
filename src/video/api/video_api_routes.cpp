// The JSON API's video routes: upload, publish, list, read, edit and delete. Bodies are JSON
// (the upload is multipart), the token is the Authorization header, refusals carry real
// HTTP statuses.
#include "kit/http/api_page.hpp"
#include "kit/http/params.hpp"
#include "video/api/publish_params.hpp"
#include "video/api/uploaded_video.hpp"
#include "video/api/video_routes.hpp"

namespace reel::video {
namespace {

Result<http::Response> VideoAnswer(views::VideoViews& views, const v1::Video& video,
                                   std::int64_t viewer) {
  json::JsonWriter w;
  w.BeginObject();
  if (Status s = views.WriteVideoObject(w, "video", video, viewer); !s.ok()) return s;
  w.EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> Upload(http::Request& req, VideoRpc& videos, const views::MediaUrls& urls,
                              const auth::RequestAuthenticator& auth) {
  auto author = auth.Require(req, nullptr);
  if (!author.ok()) return author.status();
  const http::UploadedFile* data = UploadedVideo(req);
  if (!data) return VideoFileMissing();
  auto media = videos.IngestUpload(*author, data->path, data->sha256);
  if (!media.ok()) return media.status();
  json::JsonWriter w;
  w.BeginObject()
      .BeginObject("media")
      .Field("media_key", media->key)
      .Field("cover_key", media->cover_key)
      .Field("play_url", urls.Of(media->key))
      .Field("cover_url", urls.Of(media->cover_key))
      .Field("width", std::int64_t{media->width})
      .Field("height", std::int64_t{media->height})
      .Field("duration_ms", media->duration_ms)
      .Field("size_bytes", static_cast<std::int64_t>(media->size_bytes))
      .EndObject()
      .EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> Create(http::Request& req, VideoClient& videos, views::VideoViews& views,
                              const auth::RequestAuthenticator& auth) {
  auto author = auth.Require(req, nullptr);
  if (!author.ok()) return author.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto media_key = params->Required("media_key");
  if (!media_key.ok()) return media_key.status();
  auto title = params->Required("title");
  if (!title.ok()) return title.status();
  auto tags = params->OptionalStringList("tags");
  if (!tags.ok()) return tags.status();
  auto options = ReadPublishOptions(*params);
  if (!options.ok()) return options.status();

  v1::CreateVideoRequest request;
  request.set_author_id(*author);
  request.set_media_key(std::string(*media_key));
  request.set_title(std::string(*title));
  request.set_description(std::string(params->Get("description").value_or("")));
  if (*tags) request.mutable_tags()->Assign((*tags)->begin(), (*tags)->end());
  if (options->is_public) request.set_is_public(*options->is_public);
  if (options->is_original) request.set_is_original(*options->is_original);
  request.set_source_url(std::move(options->source_url));
  auto reply = videos.CreateVideo(request);
  if (!reply.ok()) return reply.status();
  return VideoAnswer(views, reply->video(), *author);
}

Result<http::Response> List(http::Request& req, VideoClient& videos, views::VideoViews& views,
                            const auth::RequestAuthenticator& auth) {
  auto viewer = auth.Optional(req, nullptr);
  if (!viewer.ok()) return viewer.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto user_id = params->OptionalId("user_id");
  if (!user_id.ok()) return user_id.status();
  if (!*user_id && !*viewer) return Unauthenticated("TOKEN_MISSING", "give a user_id or sign in");
  auto page = http::ReadApiPage(*params);
  if (!page.ok()) return page.status();

  v1::ListVideosRequest list;
  list.set_author_id(user_id->value_or(viewer->value_or(0)));
  list.set_viewer_id(viewer->value_or(0));  // the author sees all of theirs, others the visible
  list.set_before_ms(page->cursor);
  list.set_limit(page->limit + 1);  // one more than asked: is there another page?
  auto reply = videos.ListVideos(list);
  if (!reply.ok()) return reply.status();
  const bool has_more = reply->videos_size() > page->limit;
  if (has_more)
    reply->mutable_videos()->DeleteSubrange(page->limit, reply->videos_size() - page->limit);
  // Times are unique, so the last one shown names the next page's start exactly.
  const std::int64_t next = has_more ? reply->videos(page->limit - 1).created_at_ms() : 0;

  json::JsonWriter w;
  w.BeginObject();
  if (Status s = views.WriteVideoArray(w, "videos", reply->videos(), viewer->value_or(0));
      !s.ok()) {
    return s;
  }
  http::WriteApiPageEnd(w, next);
  w.EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> Get(http::Request& req, VideoClient& videos, views::VideoViews& views,
                           const auth::RequestAuthenticator& auth) {
  auto viewer = auth.Optional(req, nullptr);
  if (!viewer.ok()) return viewer.status();
  auto id = http::PathId(req, "id", "video id");
  if (!id.ok()) return id.status();
  v1::GetVideosRequest request;
  request.add_video_ids(*id);
  request.set_viewer_id(viewer->value_or(0));  // another's private or unapproved video: 404
  auto reply = videos.GetVideos(request);
  if (!reply.ok()) return reply.status();
  if (reply->videos().empty()) {
    return NotFound("VIDEO_NOT_FOUND", "no video with id " + std::to_string(*id));
  }
  return VideoAnswer(views, reply->videos(0), viewer->value_or(0));
}

Result<http::Response> Update(http::Request& req, VideoClient& videos, views::VideoViews& views,
                              const auth::RequestAuthenticator& auth) {
  auto author = auth.Require(req, nullptr);
  if (!author.ok()) return author.status();
  auto id = http::PathId(req, "id", "video id");
  if (!id.ok()) return id.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto tags = params->OptionalStringList("tags");
  if (!tags.ok()) return tags.status();
  auto is_public = OptionalBool(*params, "is_public");
  if (!is_public.ok()) return is_public.status();
  auto is_original = OptionalBool(*params, "is_original");
  if (!is_original.ok()) return is_original.status();

  v1::UpdateVideoRequest request;
  request.set_video_id(*id);
  request.set_author_id(*author);
  if (auto title = params->Get("title")) request.set_title(std::string(*title));
  if (auto description = params->Get("description")) {
    request.set_description(std::string(*description));
  }
  if (*tags) {
    request.set_replace_tags(true);
    request.mutable_tags()->Assign((*tags)->begin(), (*tags)->end());
  }
  if (*is_public) request.set_is_public(**is_public);
  if (*is_original) request.set_is_original(**is_original);
  if (auto url = params->Get("source_url")) request.set_source_url(std::string(*url));
  auto reply = videos.UpdateVideo(request);
  if (!reply.ok()) return reply.status();
  return VideoAnswer(views, reply->video(), *author);
}

Result<http::Response> Delete(http::Request& req, VideoClient& videos,
                              const auth::RequestAuthenticator& auth) {
  auto author = auth.Require(req, nullptr);
  if (!author.ok()) return author.status();
  auto id = http::PathId(req, "id", "video id");
  if (!id.ok()) return id.status();
  v1::DeleteVideoRequest request;
  request.set_video_id(*id);
  request.set_author_id(*author);
  if (auto reply = videos.DeleteVideo(request); !reply.ok()) return reply.status();
  json::JsonWriter w;
  w.BeginObject().Field("deleted", true).EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace

void AddVideoApiRoutes(http::Router& router, VideoRpc& videos, views::VideoViews& views,
                       const views::MediaUrls& urls, const auth::RequestAuthenticator& auth,
                       std::uint64_t max_upload_bytes) {
  router.Add({.method = "POST",
              .pattern = "/api/video/upload",
              .handler = [&](http::Request& req) { return Upload(req, videos, urls, auth); },
              .upload = true,
              .max_body_bytes = max_upload_bytes + kUploadEnvelopeBytes,
              .blocking = true});  // the upload is probed and its cover cut
  router.Add({.method = "POST", .pattern = "/api/video/create", .handler = [&](http::Request& req) {
                return Create(req, videos, views, auth);
              }});
  // The spelling of the brief's README (issue 16): the same handler, for clients written
  // from it.
  router.Add({.method = "POST", .pattern = "/api/video/creat", .handler = [&](http::Request& req) {
                return Create(req, videos, views, auth);
              }});
  router.Add({.method = "GET", .pattern = "/api/video", .handler = [&](http::Request& req) {
                return List(req, videos, views, auth);
              }});
  router.Add({.method = "GET", .pattern = "/api/video/{id}", .handler = [&](http::Request& req) {
                return Get(req, videos, views, auth);
              }});
  router.Add({.method = "PATCH", .pattern = "/api/video/{id}", .handler = [&](http::Request& req) {
                return Update(req, videos, views, auth);
              }});
  router.Add({.method = "DELETE", .pattern = "/api/video/{id}", .handler = [&](http::Request& req) {
                return Delete(req, videos, auth);
              }});
}

}  // namespace reel::video
