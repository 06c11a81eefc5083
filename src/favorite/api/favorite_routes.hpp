#pragma once

#include "favorite/api/favorite_client.hpp"
#include "kit/http/auth/request_authenticator.hpp"
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

/// The JSON API's favorite routes (/api error shape, bearer tokens only):
///   POST /api/favorite/action (auth; {video_id, action: "like"|"unlike"}) answers
///     {changed, is_favorite, favorite_count} as they stand after the action; liking twice
///     answers changed false and counts once;
///   GET /api/favorite/videos (optional auth; user_id defaulting to the caller, cursor,
///     limit) answers {videos, next_cursor, has_more}, most recently liked first; a user
///     that does not exist is 404 USER_NOT_FOUND (ListLiked's owner_must_exist).
void AddFavoriteApiRoutes(http::Router& router, FavoriteClient& favorites, views::VideoViews& views,
                          video::VideoClient& videos, const auth::RequestAuthenticator& auth);

/// The JSON API's collection routes (issue 16; /api error shape, bearer tokens only):
///   POST /api/favorite/collect (auth; {video_id, action: "collect"|"uncollect"}) answers
///     {changed, is_collected, collect_count} after the action; repeating either answers
///     changed false; a video the caller cannot see is 404 VIDEO_NOT_FOUND;
///   GET /api/favorite/collections (optional auth; user_id defaulting to the caller, cursor,
///     limit) answers {videos, next_cursor, has_more}, newest bookmark first; another's list
///     is 403 COLLECTIONS_PRIVATE unless they made it public, 404 USER_NOT_FOUND when no
///     such user exists;
///   GET /api/favorite/settings (auth) and POST /api/favorite/settings (auth;
///     {collections_public: true|false}) answer the caller's {collections_public};
///   POST /api/favorite/share (auth; {video_id}) answers {share_url: "/v/<id>", counted,
///     share_count}; counted only for the caller's first share of the video that UTC day.
void AddCollectionApiRoutes(http::Router& router, FavoriteClient& favorites,
                            views::VideoViews& views, video::VideoClient& videos,
                            const auth::RequestAuthenticator& auth);

}  // namespace reel::favorite
