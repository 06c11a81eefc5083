#include "app/wiring.hpp"

#include <filesystem>

#include "app/module.hpp"
#include "kit/bus/in_process_bus.hpp"
#include "kit/bus/kafka_bus.hpp"
#include "kit/bus/redis_stream_bus.hpp"
#include "kit/http/health_routes.hpp"
#include "kit/http/middleware/trace_context.hpp"
#include "kit/limits/redis_rate_limiter.hpp"
#include "kit/log/log.hpp"
#include "kit/redis/redis_shared_tier.hpp"
#include "kit/trace/trace.hpp"

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
      redis(OpenRedis(cfg)) {
  if (redis) {
    shared_caches = std::make_unique<redis::RedisSharedTier>(
        *redis, redis::RedisSharedTier::Options{.prefix = cfg.redis.key_prefix,
                                                .ttl = cfg.redis.cache_ttl});
  }
}

std::unique_ptr<bus::Bus> OpenBus(const AppConfig& config, redis::RedisClient* redis,
                                  bool all_in_one) {
  const BusSettings& settings = config.bus;
  std::string driver = settings.driver;
  if (driver == "auto") driver = all_in_one ? "in-process" : "redis";
  if (driver == "in-process") {
    if (!all_in_one) {
      // Its consumers would hear only this process's events: the cascades and search
      // indexes of the other processes would miss them.
      throw std::runtime_error(
          "bus.driver in-process works only in `reel all`; a service process needs redis or kafka");
    }
    return std::make_unique<bus::InProcessBus>();
  }
  if (driver == "redis") {
    if (!redis) {
      throw std::runtime_error(
          "the event bus needs Redis: set redis.endpoint (REEL_REDIS_ENDPOINT), or bus.driver");
    }
    return std::make_unique<bus::RedisStreamBus>(
        *redis, bus::RedisStreamOptions{.prefix = config.redis.key_prefix,
                                        .partitions = settings.partitions,
                                        .max_len = settings.max_len,
                                        .lease = settings.lease});
  }
  // kafka (the config refuses it without bootstrap servers)
  bus::KafkaOptions kafka{.bootstrap_servers = settings.kafka_bootstrap_servers,
                          .topic = settings.kafka_topic,
                          .dead_letter_topic = settings.kafka_topic + ".dlq",
                          .retry_topic_prefix = settings.kafka_topic + ".retry."};
  return std::make_unique<bus::KafkaBus>(std::move(kafka));
}

WriteChecks::WriteChecks(Core& core, user::UserClient& users)
    : direct(users),
      cached(direct, core.clock, core.config.auth.session_check_ttl, 65536,
             core.shared_caches.get()) {
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
      http::TraceMiddleware(),
      http::RequestMetricsMiddleware(core.clock),
      http::AccessLogMiddleware(core.clock),
      http::RecoverMiddleware(),
      http::CorsMiddleware(core.config.http.cors_origins),
      // Buckets shared by the replicas when the deployment has a Redis.
      http::RateLimitMiddleware(
          core.config.rate_limit,
          limits::SharedOrLocalRateLimiters(core.redis.get(), core.clock,
                                            {.key_prefix = core.config.redis.key_prefix}),
          [&core](const http::Request& req) { return core.authenticator.Identify(req); }),
  };
}

int ListenPort(const AppConfig& config, int default_port) {
  return config.http.port == 0 ? default_port : config.http.port;
}

namespace {

std::optional<log::LineIds> TraceLineIds() {
  const std::optional<trace::SpanContext> span = trace::Current();
  if (!span) return std::nullopt;
  return log::LineIds{span->TraceIdHex(), span->SpanIdHex()};
}

}  // namespace

int Serve(Core& core, http::Router router, int port) {
  log::SetLineIds(&TraceLineIds);
  const TraceSettings& tracing = core.config.trace;
  trace::Configure({.enabled = tracing.enabled,
                    .endpoint = tracing.endpoint,
                    .sample_ratio = tracing.sample_ratio,
                    .service_name = "reel-" + core.service});
  // What is queued goes out before the process does.
  struct FlushTraces {
    ~FlushTraces() { trace::Shutdown(); }
  } flush_traces;
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
