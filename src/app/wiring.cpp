#include "app/wiring.hpp"

#include <filesystem>

#include "app/module.hpp"
#include "kit/http/health_routes.hpp"

namespace reel::app {
namespace {

std::string SecretOf(const AppConfig& config) {
  if (!config.auth.jwt_secret.empty()) return config.auth.jwt_secret;
  const std::string path = config.auth.jwt_secret_file.empty()
                               ? (std::filesystem::path(config.data_dir) / "jwt.secret").string()
                               : config.auth.jwt_secret_file;
  return auth::LoadOrCreateSecret(path);
}

}  // namespace

Core::Core(const AppConfig& cfg)
    : config(cfg),
      signer(auth::TokenConfig{SecretOf(cfg), cfg.auth.access_ttl, cfg.auth.refresh_ttl,
                               cfg.auth.device_ttl},
             clock),
      redis(OpenRedis(cfg)) {}

WriteChecks::WriteChecks(Core& core, user::UserClient& users)
    : direct(users), cached(direct, core.clock, core.config.auth.session_check_ttl) {
  core.authenticator.CheckWritesWith(&cached);
}

std::string PublicBaseUrl(const AppConfig& config, int port) {
  if (!config.media.public_base_url.empty()) return config.media.public_base_url;
  const std::string& host = config.http.host;
  const bool wildcard = host == "0.0.0.0" || host == "::" || host.empty();
  const std::string shown =
      wildcard ? "localhost" : (host.find(':') != std::string::npos ? "[" + host + "]" : host);
  return "http://" + shown + ":" + std::to_string(port);
}

std::vector<http::Middleware> StandardMiddleware(Core& core) {
  return {
      http::RequestIdMiddleware(),
      http::AccessLogMiddleware(core.clock),
      http::RecoverMiddleware(),
      http::CorsMiddleware(core.config.http.cors_origins),
      http::RateLimitMiddleware(
          core.config.rate_limit, core.clock,
          [&core](const http::Request& req) { return core.authenticator.Identify(req); }),
  };
}

int ListenPort(const AppConfig& config, int default_port) {
  return config.http.port == 0 ? default_port : config.http.port;
}

int Serve(Core& core, http::Router router, int port) {
  http::AddHealthRoutes(router, core.readiness);
  http::HttpConfig http_config = core.config.http;
  http_config.port = port;
  http::HttpServer server(http_config, std::move(router), StandardMiddleware(core), core.readiness);
  server.Start();
  core.readiness.SetReady(true);
  server.Run();
  return 0;
}

}  // namespace reel::app
