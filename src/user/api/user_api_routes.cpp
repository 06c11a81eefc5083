// The JSON API's user routes: JSON bodies, bearer tokens, real HTTP status codes.
#include "kit/http/params.hpp"
#include "user/api/user_json.hpp"
#include "user/api/user_profile_route.hpp"
#include "user/api/user_routes.hpp"

namespace reel::user {
namespace {

template <typename Reply>
Result<http::Response> TokenResponse(const Result<Reply>& reply) {
  if (!reply.ok()) return reply.status();
  json::JsonWriter w;
  w.BeginObject()
      .Field("user_id", reply->user_id())
      .Field("access_token", reply->tokens().access_token())
      .Field("refresh_token", reply->tokens().refresh_token())
      .Field("token_type", "Bearer")
      .Field("expires_in", reply->tokens().access_expires_in_seconds())
      .EndObject();
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
  return request;
}

}  // namespace

void AddUserApiRoutes(http::Router& router, UserClient& rpc, views::UserViews& views,
                      const auth::RequestAuthenticator& auth, ProfileImages& images) {
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
                WriteUserJson(w, *user);
                w.EndObject();
                return http::Response::Json(w.Take());
              }});

  AddUserProfileRoute(router, rpc, views, auth, images);
}

}  // namespace reel::user
