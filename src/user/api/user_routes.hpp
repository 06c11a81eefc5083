#pragma once

#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "user/api/user_client.hpp"
#include "user/api/user_rpc.hpp"
#include "views/user_views.hpp"

namespace reel::user {

/// /douyin/user/register, /douyin/user/login, /douyin/user (Douyin simple-version shapes;
/// register and login also answer a device_token, and login reads one back).
void AddUserDouyinRoutes(http::Router& router, UserClient& rpc, views::UserViews& views,
                         const auth::RequestAuthenticator& auth);

/// /api/user/register, /api/user/login, /api/user/refresh, /api/user/logout,
/// /api/user/password, GET and PATCH /api/user (JSON API). `rpc` is this process's own
/// UserRpc: PATCH /api/user uses its in-process ChangeProfile, so these routes are served by
/// the user service (or `reel all`).
void AddUserApiRoutes(http::Router& router, UserRpc& rpc, views::UserViews& views,
                      const auth::RequestAuthenticator& auth);

/// GET /api/user/{id}/avatar.png and /api/user/{id}/background.png: the pictures
/// views::UserViews shows for users without their own. Part of AddUserApiRoutes.
void AddDefaultPictureRoutes(http::Router& router);

}  // namespace reel::user
