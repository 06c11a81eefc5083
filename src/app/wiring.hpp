#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/app_config.hpp"
#include "kit/auth/password_hasher.hpp"
#include "kit/auth/request_authenticator.hpp"
#include "kit/auth/token_signer.hpp"
#include "kit/clock/clock.hpp"
#include "kit/db/sqlite.hpp"
#include "kit/http/router.hpp"
#include "kit/http/server.hpp"
#include "kit/limits/keyed_rate_limiter.hpp"
#include "user/api/user_rpc.hpp"
#include "user/domain/user_service.hpp"
#include "user/store/sqlite_user_repository.hpp"

namespace reel::app {

/// What every process mode shares: time, token signing and readiness.
struct Core {
  explicit Core(const AppConfig& config);

  const AppConfig& config;
  SystemClock clock;
  auth::TokenSigner signer;
  auth::RequestAuthenticator authenticator{signer};
  http::Readiness readiness;
};

/// The user service, assembled: store → domain → API.
struct UserModule {
  UserModule(Core& core, db::SqliteDb& db);
  void AddRoutes(http::Router& router);

  Core& core;
  user::SqliteUserRepository repository;
  auth::PasswordHasher hasher;
  limits::KeyedRateLimiter failed_logins;
  user::UserService service;
  user::UserRpc rpc;
};

/// Opens `<data_dir>/<name>.db` (or database.sqlite_path) and applies every migration the
/// process owns.
std::unique_ptr<db::SqliteDb> OpenDatabase(const AppConfig& config, const std::string& name);

/// The middleware every HTTP server runs, outermost first.
std::vector<http::Middleware> StandardMiddleware(Core& core);

/// Starts `router` on the configured host and port (`default_port` when none is set),
/// marks the process ready and serves until SIGINT/SIGTERM. Returns the exit code.
int Serve(Core& core, http::Router router, int default_port);

}  // namespace reel::app
