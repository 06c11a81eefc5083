// Douyin simple-version video routes: publishing an upload and listing a user's videos.
#include <algorithm>

#include "kit/http/douyin_envelope.hpp"
#include "kit/http/params.hpp"
#include "video/api/publish_params.hpp"
#include "video/api/uploaded_video.hpp"
#include "video/api/video_routes.hpp"

namespace reel::video {
namespace {

constexpr int kDefaultListSize = 30;

Result<http::Response> Publish(http::Request& req, VideoRpc& videos,
                               const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto author = auth.Require(req, &*params);
  if (!author.ok()) return author.status();
  auto title = params->Required("title");
  if (!title.ok()) return title.status();
  // Only is_public (optional) beyond the Douyin fields: a Douyin client has no provenance.
  auto is_public = OptionalBool(*params, "is_public");
  if (!is_public.ok()) return is_public.status();
  const http::UploadedFile* data = UploadedVideo(req);
  if (!data) return VideoFileMissing();

  auto video = videos.PublishUpload(*author, *title, params->Get("description").value_or(""),
                                    data->path, data->sha256, {.is_public = *is_public});
  if (!video.ok()) return video.status();
  return http::DouyinDone();
}

Result<http::Response> PublishList(http::Request& req, VideoClient& videos,
                                   views::VideoViews& views,
                                   const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto viewer = auth.Optional(req, &*params);
  if (!viewer.ok()) return viewer.status();
  auto user_id = params->OptionalId("user_id");
  if (!user_id.ok()) return user_id.status();
  if (!*user_id && !*viewer) return Unauthenticated("TOKEN_MISSING", "give a user_id or sign in");
  auto before = params->OptionalInt("latest_time");
  if (!before.ok()) return before.status();
  auto count = params->OptionalInt("count");
  if (!count.ok()) return count.status();

  v1::ListVideosRequest list;
  list.set_author_id(user_id->value_or(viewer->value_or(0)));
  list.set_viewer_id(viewer->value_or(0));  // the author sees all of theirs, others the visible
  list.set_before_ms(before->value_or(0));
  list.set_limit(static_cast<int>(
      std::clamp<std::int64_t>(count->value_or(kDefaultListSize), 1, VideoService::kMaxPageSize)));
  auto page = videos.ListVideos(list);
  if (!page.ok()) return page.status();
  json::JsonWriter w;
  http::BeginDouyinOk(w);
  if (Status s = views.WriteVideoList(w, page->videos(), viewer->value_or(0)); !s.ok()) return s;
  w.Field("next_time", page->next_before_ms());
  return http::FinishDouyin(w);
}

}  // namespace

void AddVideoDouyinRoutes(http::Router& router, VideoRpc& videos, views::VideoViews& views,
                          const auth::RequestAuthenticator& auth, std::uint64_t max_upload_bytes) {
  router.Add({.method = "POST",
              .pattern = "/douyin/publish/action",
              .handler = [&](http::Request& req) { return Publish(req, videos, auth); },
              .render_error = http::DouyinErrorRenderer(),
              .upload = true,
              .max_body_bytes = max_upload_bytes + kUploadEnvelopeBytes,
              .blocking = true});  // the upload is probed and its cover cut
  router.Add({.method = "GET",
              .pattern = "/douyin/publish/list",
              .handler = [&](http::Request& req) { return PublishList(req, videos, views, auth); },
              .render_error = http::DouyinErrorRenderer()});
}

}  // namespace reel::video
