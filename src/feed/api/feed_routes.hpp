#pragma once

#include "feed/api/feed_client.hpp"
#include "feed/api/feed_rpc.hpp"
#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "views/video_views.hpp"

namespace reel::feed {

/// GET /douyin/feed (optional latest_time in s or ms, optional token): up to 30 videos,
/// newest first, strictly older than latest_time, and next_time for the following page
/// (FeedRpc::DouyinFeed, in-process: the route is served by the feed service or `reel all`).
void AddFeedDouyinRoutes(http::Router& router, FeedRpc& feed, views::VideoViews& views,
                         const auth::RequestAuthenticator& auth);

/// GET /api/feed?type=latest|following|hot&cursor=&limit= (optional bearer token; the
/// following feed needs one): {videos, next_cursor, has_more}. latest and following page
/// by time (cursor: the last video's created_at), hot over a frozen ranking; `feed` picks
/// the videos (FeedRpc in-process, or the feed service over gRPC).
void AddFeedApiRoutes(http::Router& router, FeedClient& feed, views::VideoViews& views,
                      const auth::RequestAuthenticator& auth);

}  // namespace reel::feed
