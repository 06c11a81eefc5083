#pragma once

#include "kit/auth/request_authenticator.hpp"
#include "kit/clock/clock.hpp"
#include "kit/http/router.hpp"
#include "video/api/video_client.hpp"
#include "views/video_views.hpp"

namespace reel::feed {

/// GET /douyin/feed (optional latest_time in s or ms, optional token): up to 30 videos,
/// newest first, strictly older than latest_time, and next_time for the following page.
void AddFeedDouyinRoutes(http::Router& router, video::VideoClient& videos, views::VideoViews& views,
                         const auth::RequestAuthenticator& auth, const Clock& clock);

}  // namespace reel::feed
