#pragma once

#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "user/api/user_client.hpp"
#include "user/media/profile_images.hpp"
#include "views/user_views.hpp"

namespace reel::user {

/// PATCH /api/user: the caller changes their own profile, from a JSON body {name?,
/// signature?} or a multipart form (text fields name, signature; picture files avatar,
/// background_image). All or nothing: every part is checked before any picture is stored,
/// and the row changes last. Answers {user} as GET /api/user does. Part of AddUserApiRoutes.
void AddUserProfileRoute(http::Router& router, UserClient& rpc, views::UserViews& views,
                         const auth::RequestAuthenticator& auth, ProfileImages& images);

}  // namespace reel::user
