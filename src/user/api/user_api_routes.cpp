// The JSON API's user routes: JSON bodies, bearer tokens, real HTTP status codes.
#include <type_traits>

#include "kit/http/params.hpp"
#include "user/api/device_token.hpp"
#include "user/api/user_profile_route.hpp"
#include "user/api/user_routes.hpp"
#include "views/user_json.hpp"

namespace reel::user {
namespace {

// Register, login, refresh and password replies; register and login add the device token.
template <typename Reply>
Result<http::Response> TokenResponse(const Result<Reply>& reply) {
  if (!reply.ok()) return reply.status();
  json::JsonWriter w;
  w.BeginObject()
      .Field("user_id", reply->user_id())
      .Field("access_token", reply->tokens().access_token())
      .Field("refresh_token", reply->tokens().refresh_token())
      .Field("token_type", "Bearer")
      .Field("expires_in", reply->tokens().access_expires_in_seconds());
  if constexpr (requires { reply->device_token(); }) {
    w.Field("device_token", reply->device_token());
  }
  w.EndObject();
  return http::Response::Json(w.Take());
}

// Register and login take the same body; `Request` is RegisterRequest or LoginRequest.
template <typename Request>
Result<Request> CredentialsRequest(const http::Request& req) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto username = params->Required("username");
  if (!username.ok()) return username.status();
  auto password = params->Required("password");
  if (!password.ok()) return password.status();
  Request request;
  request.set_username(std::string(*username));
  request.set_password(std::string(*password));
  if constexpr (std::is_same_v<Request, v1::LoginRequest>) {
    request.set_client_ip(req.remote_ip);
    request.set_device_token(std::string(DeviceTokenOf(req, *params)));
  }
  return request;
}

// POST /api/user/logout: the bearer access token's session, or that of a refresh token in
// the body (what a client whose access token expired still holds).
Result<http::Response> Logout(http::Request& req, UserClient& rpc,
                              const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  v1::LogoutRequest request;
  // As every /api route: the header, never the query string.
  request.set_access_token(std::string(http::TokenOf(req, nullptr)));
  request.set_refresh_token(std::string(params->Get("refresh_token").value_or("")));
  auto reply = rpc.Logout(request);
  if (!reply.ok()) return reply.status();
  auth.Forget(reply->user_id());  // this process refuses the session's writes at once
  json::JsonWriter w;
  w.BeginObject().Field("revoked", reply->revoked()).EndObject();
  return http::Response::Json(w.Take());
}

// POST /api/user/password: a new password for the caller; every session ends, and the
// answer is the pair of the one new session.
Result<http::Response> ChangePassword(http::Request& req, UserClient& rpc,
                                      const auth::RequestAuthenticator& auth) {
  auto caller = auth.Require(req, nullptr);
  if (!caller.ok()) return caller.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto old_password = params->Required("old_password");
  if (!old_password.ok()) return old_password.status();
  auto new_password = params->Required("new_password");
  if (!new_password.ok()) return new_password.status();
  v1::ChangePasswordRequest request;
  request.set_user_id(*caller);
  request.set_old_password(std::string(*old_password));
  request.set_new_password(std::string(*new_password));
  request.set_client_ip(req.remote_ip);
  auto reply = rpc.ChangePassword(request);
  if (reply.ok()) auth.Forget(*caller);
  return TokenResponse(reply);
}

}  // namespace

void AddUserApiRoutes(http::Router& router, UserRpc& rpc, views::UserViews& views,
                      const auth::RequestAuthenticator& auth) {
  router.Add({.method = "POST",
              .pattern = "/api/user/register",
              .handler = [&rpc](http::Request& req) -> Result<http::Response> {
                auto request = CredentialsRequest<v1::RegisterRequest>(req);
                if (!request.ok()) return request.status();
                return TokenResponse(rpc.Register(*request));
              },
              .group = "auth",
              .blocking = true});  // Argon2id

  router.Add({.method = "POST",
              .pattern = "/api/user/login",
              .handler = [&rpc](http::Request& req) -> Result<http::Response> {
                auto request = CredentialsRequest<v1::LoginRequest>(req);
                if (!request.ok()) return request.status();
                return TokenResponse(rpc.Login(*request));
              },
              .group = "auth",
              .blocking = true});  // Argon2id

  router.Add({.method = "POST",
              .pattern = "/api/user/refresh",
              .handler = [&rpc](http::Request& req) -> Result<http::Response> {
                auto params = http::Params::From(req);
                if (!params.ok()) return params.status();
                auto token = params->Required("refresh_token");
                if (!token.ok()) return token.status();
                v1::RefreshRequest request;
                request.set_refresh_token(std::string(*token));
                return TokenResponse(rpc.Refresh(request));
              },
              .group = "auth"});

  router.Add({.method = "POST",
              .pattern = "/api/user/logout",
              .handler = [&rpc, &auth](http::Request& req) { return Logout(req, rpc, auth); },
              .group = "auth"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/user/password",
       .handler = [&rpc, &auth](http::Request& req) { return ChangePassword(req, rpc, auth); },
       .group = "auth",
       .blocking = true});  // Argon2id, twice

  router.Add({.method = "GET",
              .pattern = "/api/user",
              .handler = [&views, &auth](http::Request& req) -> Result<http::Response> {
                auto params = http::Params::From(req);
                if (!params.ok()) return params.status();
                auto user_id = params->OptionalId("user_id");
                if (!user_id.ok()) return user_id.status();
                // Only the Authorization header counts on /api: tokens stay out of URLs. A
                // token that is sent must be valid, even when user_id names someone.
                auto caller = auth.Optional(req, nullptr);
                if (!caller.ok()) return caller.status();
                if (!*user_id && !*caller) {
                  return Unauthenticated("TOKEN_MISSING", "give a user_id or sign in");
                }
                auto user =
                    views.GetOne(user_id->value_or(caller->value_or(0)), caller->value_or(0));
                if (!user.ok()) return user.status();
                json::JsonWriter w;
                w.BeginObject().Key("user");
                if (user->id() == caller->value_or(0)) {
                  views::WriteOwnUserJson(w, *user);  // role: the client's moderation page
                } else {
                  views::WriteUserJson(w, *user);
                }
                w.EndObject();
                return http::Response::Json(w.Take());
              }});

  AddUserProfileRoute(router, rpc, views, auth);
  AddDefaultPictureRoutes(router);
}

}  // namespace reel::user
