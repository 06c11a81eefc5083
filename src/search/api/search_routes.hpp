#pragma once

#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "search/search_index.hpp"
#include "views/service_clients.hpp"
#include "views/user_views.hpp"
#include "views/video_views.hpp"

namespace reel::search {

/// GET /api/search?q=&type=video|user&cursor=&limit= and, for videos only, the brief's
/// GET /api/video/search?q= and GET /api/video/get/title?title=. Best match first;
/// {videos|users, next_cursor, has_more}. Optional bearer token (is_follow, is_favorite).
void AddSearchApiRoutes(http::Router& router, const SearchIndex& index,
                        const views::ServiceClients& clients, views::UserViews& users,
                        views::VideoViews& videos, const auth::RequestAuthenticator& auth);

}  // namespace reel::search
