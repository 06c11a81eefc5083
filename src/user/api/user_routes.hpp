#pragma once

#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "user/api/user_client.hpp"
#include "user/media/profile_images.hpp"
#include "views/user_views.hpp"

namespace reel::user {

/// /douyin/user/register, /douyin/user/login, /douyin/user (Douyin simple-version shapes;
/// register and login also answer a device_token, and login reads one back).
void AddUserDouyinRoutes(http::Router& router, UserClient& rpc, views::UserViews& views,
                         const auth::RequestAuthenticator& auth);

/// /api/user/register, /api/user/login, /api/user/refresh, /api/user/logout,
/// /api/user/password, GET and PATCH /api/user (JSON API). `images` takes the pictures of a
/// profile change.
void AddUserApiRoutes(http::Router& router, UserClient& rpc, views::UserViews& views,
                      const auth::RequestAuthenticator& auth, ProfileImages& images);

/// GET /api/user/{id}/avatar.png and /api/user/{id}/background.png: the pictures
/// views::UserViews shows for users without their own. Part of AddUserApiRoutes.
void AddDefaultPictureRoutes(http::Router& router);

}  // namespace reel::user
