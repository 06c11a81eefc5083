// Douyin simple-version user routes. Parameters come from wherever the client put them
// (http::Params); every body carries status_code and status_msg.
#include "kit/http/douyin_envelope.hpp"
#include "kit/http/params.hpp"
#include "user/api/device_token.hpp"
#include "user/api/user_routes.hpp"
#include "views/user_json.hpp"

namespace reel::user {
namespace {

// register and login answer {status_code, status_msg, user_id, token} even on failure.
void SessionDefaults(json::JsonWriter& w) {
  w.Field("user_id", 0).Field("token", "");
}

struct Credentials {
  std::string username;
  std::string password;
  std::string device_token;
};

Result<Credentials> CredentialsOf(const http::Request& req) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto username = params->Required("username");
  if (!username.ok()) return username.status();
  auto password = params->Required("password");
  if (!password.ok()) return password.status();
  return Credentials{std::string(*username), std::string(*password),
                     std::string(DeviceTokenOf(req, *params))};
}

// The Douyin shape plus device_token, a field its clients ignore and ours send back on the
// next login (see UserService::Login).
template <typename Reply>
Result<http::Response> SessionResponse(const Result<Reply>& reply) {
  if (!reply.ok()) return reply.status();
  json::JsonWriter w;
  http::BeginDouyinOk(w);
  w.Field("user_id", reply->user_id())
      .Field("token", reply->tokens().access_token())
      .Field("device_token", reply->device_token());
  return http::FinishDouyin(w);
}

}  // namespace

void AddUserDouyinRoutes(http::Router& router, UserClient& rpc, views::UserViews& views,
                         const auth::RequestAuthenticator& auth) {
  router.Add({.method = "POST",
              .pattern = "/douyin/user/register",
              .handler = [&rpc](http::Request& req) -> Result<http::Response> {
                auto creds = CredentialsOf(req);
                if (!creds.ok()) return creds.status();
                v1::RegisterRequest request;
                request.set_username(creds->username);
                request.set_password(creds->password);
                return SessionResponse(rpc.Register(request));
              },
              .group = "auth",
              .render_error = http::DouyinErrorRenderer(SessionDefaults),
              .blocking = true});  // Argon2id

  router.Add({.method = "POST",
              .pattern = "/douyin/user/login",
              .handler = [&rpc](http::Request& req) -> Result<http::Response> {
                auto creds = CredentialsOf(req);
                if (!creds.ok()) return creds.status();
                v1::LoginRequest request;
                request.set_username(creds->username);
                request.set_password(creds->password);
                request.set_client_ip(req.remote_ip);
                request.set_device_token(creds->device_token);
                return SessionResponse(rpc.Login(request));
              },
              .group = "auth",
              .render_error = http::DouyinErrorRenderer(SessionDefaults),
              .blocking = true});  // Argon2id

  router.Add({.method = "GET",
              .pattern = "/douyin/user",
              .handler = [&views, &auth](http::Request& req) -> Result<http::Response> {
                auto params = http::Params::From(req);
                if (!params.ok()) return params.status();
                auto caller = auth.Optional(req, &*params);
                if (!caller.ok()) return caller.status();
                auto user_id = params->OptionalId("user_id");
                if (!user_id.ok()) return user_id.status();
                if (!*user_id && !*caller) {
                  return Unauthenticated("TOKEN_MISSING", "give a user_id or sign in");
                }
                auto user =
                    views.GetOne(user_id->value_or(caller->value_or(0)), caller->value_or(0));
                if (!user.ok()) return user.status();
                json::JsonWriter w;
                http::BeginDouyinOk(w);
                w.Key("user");
                views::WriteUserJson(w, *user);
                return http::FinishDouyin(w);
              },
              .render_error = http::DouyinErrorRenderer()});
}

}  // namespace reel::user
