#pragma once

#include "kit/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "video/api/video_client.hpp"
#include "video/domain/video_service.hpp"
#include "views/video_views.hpp"

namespace reel::video {

/// POST /douyin/publish/action (multipart upload: data, token, title) and
/// GET /douyin/publish/list (user_id; optional latest_time and count for paging).
void AddVideoDouyinRoutes(http::Router& router, VideoService& service, VideoClient& videos,
                          views::VideoViews& views, const auth::RequestAuthenticator& auth,
                          std::uint64_t max_upload_bytes);

}  // namespace reel::video
