#pragma once

#include "favorite/api/favorite_client.hpp"
#include "kit/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "video/api/video_client.hpp"
#include "views/video_views.hpp"

namespace reel::favorite {

/// POST /douyin/favorite/action (token, video_id, action_type 1 like / 2 unlike; repeating
/// either is answered with status_code 0 and a status_msg saying nothing changed) and
/// GET /douyin/favorite/list (user_id, default the token's user; optional cursor and limit
/// for paging beyond the Douyin spec, answered with next_cursor).
void AddFavoriteDouyinRoutes(http::Router& router, FavoriteClient& favorites,
                             views::VideoViews& views, video::VideoClient& videos,
                             const auth::RequestAuthenticator& auth);

}  // namespace reel::favorite
