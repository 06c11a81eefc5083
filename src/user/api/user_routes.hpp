#pragma once

#include "kit/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "user/api/user_rpc.hpp"

namespace reel::user {

/// /douyin/user/register, /douyin/user/login, /douyin/user (Douyin simple-version shapes).
void AddUserDouyinRoutes(http::Router& router, UserRpc& rpc,
                         const auth::RequestAuthenticator& auth);

/// /api/user/register, /api/user/login, /api/user/refresh, GET /api/user (JSON API).
void AddUserApiRoutes(http::Router& router, UserRpc& rpc, const auth::RequestAuthenticator& auth);

}  // namespace reel::user
