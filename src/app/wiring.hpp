#pragma once
// What every process mode shares around its modules (app/composition.hpp builds those):
// the Core they are built over, the write checks, and serving HTTP.

#include <memory>
#include <vector>

#include "app/app_config.hpp"
#include "kit/auth/account_check.hpp"
#include "kit/auth/token_signer.hpp"
#include "kit/bus/bus.hpp"
#include "kit/cache/change_epoch.hpp"
#include "kit/cache/shared_tier.hpp"
#include "kit/clock/clock.hpp"
#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "kit/http/server.hpp"
#include "kit/redis/redis_client.hpp"
#include "user/api/user_account_check.hpp"
#include "user/api/user_client.hpp"

namespace reel::app {

/// What every process mode shares: time, token signing and readiness.
struct Core {
  explicit Core(const AppConfig& config);

  const AppConfig& config;
  SystemClock clock;
  auth::TokenSigner signer;
  auth::RequestAuthenticator authenticator{signer};
  http::Readiness readiness;
  /// The event bus: the outbox relays publish to it, the modules' consumers subscribe to it
  /// (bus.driver; in-process for `reel all`). Set by the process mode (OpenBus) before the
  /// modules are built.
  std::unique_ptr<bus::Bus> bus;
  /// This process among its service's replicas, for consumer and relay names and the
  /// groups of modules that consume in every process ("127.0.0.1:9082"; "all").
  std::string instance = "all";
  /// The service this process runs ("all", "feed", ...): traces' service.name is
  /// "reel-<service>".
  std::string service = "all";
  /// Advanced by every write to this process's stores (their caches' invalidations):
  /// renderings made from several stores are checked against it.
  cache::ChangeEpoch writes;
  /// The shared Redis (redis.endpoint), or null.
  std::unique_ptr<redis::RedisClient> redis;
  /// Caches' second level and cross-process invalidation, over `redis`; null without it.
  std::unique_ptr<cache::SharedTier> shared_caches;
};

/// The bus bus.driver names: in-process (`reel all`, or "auto" in one process), Redis
/// Streams on `redis` ("redis", or "auto" in a cluster), or Kafka. Throws
/// std::runtime_error when the driver needs what is not configured.
std::unique_ptr<bus::Bus> OpenBus(const AppConfig& config, redis::RedisClient* redis,
                                  bool all_in_one);

/// Makes `core.authenticator` check every write's user and session with the user service
/// (`users`: in-process or gRPC), remembering positive answers for auth.session_check_ttl.
/// Must outlive serving.
struct WriteChecks {
  WriteChecks(Core& core, user::UserClient& users);

  user::UserAccountCheck direct;
  auth::CachedAccountCheck cached;
};

/// play_url / cover_url base: media.public_base_url or one derived from the listen address.
std::string PublicBaseUrl(const AppConfig& config, int port);

/// The middleware every HTTP server runs, outermost first.
std::vector<http::Middleware> StandardMiddleware(Core& core);

/// Starts `router` on the configured host and port (`port` resolved by ListenPort), marks
/// the process ready and serves until SIGINT/SIGTERM. Returns the exit code.
int Serve(Core& core, http::Router router, int port);

/// The configured port, or `default_port` when none is set.
int ListenPort(const AppConfig& config, int default_port);

}  // namespace reel::app
