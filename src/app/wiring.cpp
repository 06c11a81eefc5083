#include "app/wiring.hpp"

#include <filesystem>

#include "kit/db/migrations.hpp"
#include "kit/http/health_routes.hpp"
#include "kit/log/log.hpp"
#include "user/api/user_routes.hpp"
#include "user/store/user_migrations.hpp"

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
      signer(auth::TokenConfig{SecretOf(cfg), cfg.auth.access_ttl, cfg.auth.refresh_ttl}, clock) {}

UserModule::UserModule(Core& c, db::SqliteDb& db)
    : core(c),
      repository(db),
      hasher(c.config.auth.argon2),
      failed_logins(c.config.failed_login, c.clock),
      service(repository, hasher, c.signer, failed_logins, c.clock),
      rpc(service) {}

void UserModule::AddRoutes(http::Router& router) {
  user::AddUserDouyinRoutes(router, rpc, core.authenticator);
  user::AddUserApiRoutes(router, rpc, core.authenticator);
}

std::unique_ptr<db::SqliteDb> OpenDatabase(const AppConfig& config, const std::string& name) {
  const std::string path = config.database.sqlite_path.empty()
                               ? (std::filesystem::path(config.data_dir) / (name + ".db")).string()
                               : config.database.sqlite_path;
  auto db = std::make_unique<db::SqliteDb>(db::SqliteOptions{path, config.database.busy_timeout,
                                                             config.database.read_connections,
                                                             config.database.synchronous});
  if (Status s = db::ApplyMigrations(*db, "user", user::UserSqliteMigrations()); !s.ok()) {
    throw std::runtime_error(s.message);
  }
  return db;
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

int Serve(Core& core, http::Router router, int default_port) {
  http::AddHealthRoutes(router, core.readiness);
  http::HttpConfig http_config = core.config.http;
  if (http_config.port == 0) http_config.port = default_port;
  http::HttpServer server(http_config, std::move(router), StandardMiddleware(core), core.readiness);
  server.Start();
  core.readiness.SetReady(true);
  server.Run();
  return 0;
}

}  // namespace reel::app
