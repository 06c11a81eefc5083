#pragma once

#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "user/api/user_rpc.hpp"
#include "views/user_views.hpp"

namespace reel::user {

/// PATCH /api/user: the caller changes their own profile, from a JSON body {name?,
/// signature?} or a multipart form (text fields name, signature; picture files avatar,
/// background_image). All or nothing (UserRpc::ChangeProfile, in-process: the pictures are
/// in this process's spool). Answers {user} as GET /api/user does. Part of AddUserApiRoutes.
void AddUserProfileRoute(http::Router& router, UserRpc& rpc, views::UserViews& views,
                         const auth::RequestAuthenticator& auth);

}  // namespace reel::user
