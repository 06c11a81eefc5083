#pragma once

#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "video/api/video_rpc.hpp"
#include "views/media_urls.hpp"
#include "views/video_views.hpp"

namespace reel::video {

/// Room on an upload route for the multipart envelope around the file (part headers,
/// boundaries, text fields), so a file of exactly media.max_upload_bytes is accepted.
inline constexpr std::uint64_t kUploadEnvelopeBytes = 64 << 10;

/// POST /douyin/publish/action (multipart upload: the file as `data`, `file` or `video`,
/// token, title; optional is_public) and
/// GET /douyin/publish/list (user_id; optional latest_time and count for paging).
/// `videos` is this process's own VideoRpc: uploads are in-process calls (see
/// VideoRpc::IngestUpload), so these routes are served by the video service only.
void AddVideoDouyinRoutes(http::Router& router, VideoRpc& videos, views::VideoViews& views,
                          const auth::RequestAuthenticator& auth, std::uint64_t max_upload_bytes);

/// The JSON API (docs/api-contract.md): POST /api/video/upload (multipart, file field
/// `data`, `file` or `video`; answers the media object, a pending upload of the caller's that
/// expires unless published), POST /api/video/create (only the uploader may publish; optional
/// is_public, is_original, source_url) and its alias POST /api/video/creat, GET /api/video (a
/// user's videos, paged: the author sees all of theirs, others only those visible to
/// everyone), GET (404 for another's private or unapproved video), PATCH and DELETE
/// /api/video/{id}. Only the
/// Authorization header carries the token; only a video's author may edit or delete it.
/// `videos` as for AddVideoDouyinRoutes.
void AddVideoApiRoutes(http::Router& router, VideoRpc& videos, views::VideoViews& views,
                       const views::MediaUrls& urls, const auth::RequestAuthenticator& auth,
                       std::uint64_t max_upload_bytes);

}  // namespace reel::video
