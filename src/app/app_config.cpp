#include "app/app_config.hpp"

#include "kit/config/config_schema.hpp"
#include "kit/http/trusted_proxies.hpp"
#include "kit/redis/redis_options.hpp"

namespace reel::app {
namespace {

using std::chrono::milliseconds;

void BindRate(config::Schema& s, const std::string& prefix, limits::Rate& rate) {
  s.Double(prefix + "_rate", &rate.rate, 0.001, 1e9);
  s.Double(prefix + "_burst", &rate.burst, 1, 1e9);
}

void Bind(config::Schema& s, AppConfig& c) {
  s.String("data_dir", &c.data_dir);

  s.String("http.host", &c.http.host);
  s.Int("http.port", &c.http.port, 0, 65535);
  s.Int("http.threads", &c.http.threads, 0, 1024);
  s.Int("http.blocking_threads", &c.http.blocking_threads, 0, 1024);
  s.Int("http.write_threads", &c.http.write_threads, 0, 1024);
  s.Int("http.max_body_bytes", &c.http.max_body_bytes, std::uint64_t{1024}, std::uint64_t{1} << 40);
  s.Duration("http.drain_timeout", &c.http.drain_timeout, milliseconds(0));
  s.List("http.cors_origins", &c.http.cors_origins);
  s.List("http.trusted_proxies", &c.http.trusted_proxies);
  s.Int("http.max_connections_per_client", &c.http.max_connections_per_client, 0, 1'000'000);

  s.Enum("log.level", &c.log.level, {"trace", "debug", "info", "warn", "error", "off"});
  s.Enum("log.format", &c.log.format, {"auto", "json", "text"});

  s.String("auth.jwt_secret", &c.auth.jwt_secret);
  s.String("auth.jwt_secret_file", &c.auth.jwt_secret_file);
  s.Duration("auth.access_ttl", &c.auth.access_ttl, milliseconds(1000));
  s.Duration("auth.refresh_ttl", &c.auth.refresh_ttl, milliseconds(1000));
  s.Duration("auth.device_ttl", &c.auth.device_ttl, milliseconds(1000));
  s.Duration("auth.session_check_ttl", &c.auth.session_check_ttl, milliseconds(0));
  s.Int("auth.argon2_ops", &c.auth.argon2.ops, std::uint64_t{1}, std::uint64_t{64});
  s.Int("auth.argon2_memory_kib", &c.auth.argon2.memory_kib, std::uint64_t{8},
        std::uint64_t{4} * 1024 * 1024);

  s.Enum("database.driver", &c.database.driver, {"sqlite", "mysql"});
  s.String("database.mysql.primary", &c.database.mysql.primary);
  s.List("database.mysql.replicas", &c.database.mysql.replicas);
  s.String("database.mysql.user", &c.database.mysql.user);
  s.String("database.mysql.password", &c.database.mysql.password);
  s.String("database.mysql.password_file", &c.database.mysql.password_file);
  s.String("database.mysql.database_prefix", &c.database.mysql.database_prefix);
  s.Int("database.mysql.pool_size", &c.database.mysql.pool_size, 1, 1024);
  s.Duration("database.mysql.connect_timeout", &c.database.mysql.connect_timeout,
             milliseconds(100));
  s.Duration("database.mysql.query_timeout", &c.database.mysql.query_timeout, milliseconds(100));
  s.Duration("database.mysql.pool_wait", &c.database.mysql.pool_wait, milliseconds(0));
  s.Duration("database.mysql.replica_wait", &c.database.mysql.replica_wait, milliseconds(0));
  s.Duration("database.mysql.health_interval", &c.database.mysql.health_interval, milliseconds(50));
  s.String("database.sqlite_path", &c.database.sqlite_path);
  s.Duration("database.busy_timeout", &c.database.busy_timeout, milliseconds(0));
  s.Int("database.read_connections", &c.database.read_connections, 1, 256);
  s.Enum("database.synchronous", &c.database.synchronous, {"normal", "full"});
  s.Int("database.cache_entries", &c.database.cache_entries, 0, 10'000'000);

  s.Int("media.max_upload_bytes", &c.media.max_upload_bytes, std::uint64_t{1024},
        std::uint64_t{1} << 34);
  s.String("media.public_base_url", &c.media.public_base_url);
  s.String("media.dir", &c.media.dir);
  s.Enum("media.store", &c.media.store, {"local", "s3"});
  s.String("media.s3.endpoint", &c.media.s3.endpoint);
  s.String("media.s3.region", &c.media.s3.region);
  s.String("media.s3.bucket", &c.media.s3.bucket);
  s.String("media.s3.access_key", &c.media.s3.access_key);
  s.String("media.s3.secret_key", &c.media.s3.secret_key);
  s.String("media.s3.credentials_file", &c.media.s3.credentials_file);
  s.Bool("media.s3.path_style", &c.media.s3.path_style);
  // S3 refuses parts under 5 MiB (but the last) and uploads of more than 10000 parts.
  s.Int("media.s3.multipart_threshold", &c.media.s3.multipart_threshold, std::uint64_t{5} << 20,
        std::uint64_t{5} << 40);
  s.Int("media.s3.part_size", &c.media.s3.part_size, std::uint64_t{5} << 20,
        std::uint64_t{5} << 30);
  s.Duration("media.s3.connect_timeout", &c.media.s3.connect_timeout, milliseconds(100));
  s.Duration("media.s3.stall_timeout", &c.media.s3.stall_timeout, milliseconds(1000));
  s.String("media.s3.cache_dir", &c.media.s3.cache_dir);
  s.Int("media.s3.cache_max_bytes", &c.media.s3.cache_max_bytes, std::uint64_t{0},
        std::uint64_t{1} << 50);
  s.Enum("media.s3.urls", &c.media.s3.urls, {"proxy", "public", "presigned"});
  s.String("media.s3.public_url", &c.media.s3.public_url);
  s.Duration("media.s3.presign_expiry", &c.media.s3.presign_expiry, milliseconds(1000));
  s.Duration("media.pending_upload_ttl", &c.media.pending_upload_ttl, milliseconds(1000));
  s.Duration("media.sweep_interval", &c.media.sweep_interval, milliseconds(100));
  s.Int("media.max_pending_uploads_per_user", &c.media.max_pending_uploads_per_user,
        std::int64_t{1}, std::int64_t{1'000'000});
  s.Int("media.max_bytes_per_user", &c.media.max_bytes_per_user, std::uint64_t{1024},
        std::uint64_t{1} << 50);

  s.String("redis.endpoint", &c.redis.endpoint);
  s.String("redis.password", &c.redis.password);
  s.String("redis.password_file", &c.redis.password_file);
  s.Int("redis.pool_size", &c.redis.pool_size, 1, 1024);
  s.Duration("redis.connect_timeout", &c.redis.connect_timeout, milliseconds(10));
  s.Duration("redis.command_timeout", &c.redis.command_timeout, milliseconds(10));
  s.Duration("redis.pool_wait", &c.redis.pool_wait, milliseconds(0));
  s.String("redis.key_prefix", &c.redis.key_prefix);
  s.Duration("redis.cache_ttl", &c.redis.cache_ttl, milliseconds(1000));

  s.Enum("bus.driver", &c.bus.driver, {"auto", "in-process", "redis", "kafka"});
  s.Int("bus.partitions", &c.bus.partitions, 1, 256);
  s.Int("bus.max_len", &c.bus.max_len, std::int64_t{1000}, std::int64_t{1} << 40);
  s.Duration("bus.lease", &c.bus.lease, milliseconds(300));
  s.Int("bus.max_attempts", &c.bus.max_attempts, 1, 100);
  s.Duration("bus.initial_backoff", &c.bus.initial_backoff, milliseconds(1));
  s.Duration("bus.max_backoff", &c.bus.max_backoff, milliseconds(1));
  s.Duration("bus.outbox_poll", &c.bus.outbox_poll, milliseconds(5));
  s.String("bus.kafka_bootstrap_servers", &c.bus.kafka_bootstrap_servers);
  s.String("bus.kafka_topic", &c.bus.kafka_topic);
  s.Bool("trace.enabled", &c.trace.enabled);
  s.String("trace.endpoint", &c.trace.endpoint);
  s.Double("trace.sample_ratio", &c.trace.sample_ratio, 0.0, 1.0);

  s.Duration("job.reconcile_interval", &c.job.reconcile_interval, milliseconds(0));

  s.String("web.dist_dir", &c.web.dist_dir);

  s.Int("rpc.port", &c.rpc.port, 0, 65535);
  s.Duration("rpc.deadline", &c.rpc.deadline, milliseconds(1));
  s.Duration("rpc.retry_jitter", &c.rpc.retry_jitter, milliseconds(0));
  s.Double("rpc.breaker_k", &c.rpc.breaker_k, 1.0, 100.0);
  s.Duration("rpc.breaker_window", &c.rpc.breaker_window, milliseconds(100));
  s.String("rpc.user_target", &c.rpc.user_target);
  s.String("rpc.video_target", &c.rpc.video_target);
  s.String("rpc.favorite_target", &c.rpc.favorite_target);
  s.String("rpc.comment_target", &c.rpc.comment_target);
  s.String("rpc.feed_target", &c.rpc.feed_target);
  s.String("rpc.relation_target", &c.rpc.relation_target);
  s.String("rpc.moderation_target", &c.rpc.moderation_target);
  s.String("rpc.etcd_endpoints", &c.rpc.etcd_endpoints);
  s.String("rpc.etcd_prefix", &c.rpc.etcd_prefix);
  s.Duration("rpc.etcd_lease_ttl", &c.rpc.etcd_lease_ttl, milliseconds(1000));
  s.String("rpc.advertise", &c.rpc.advertise);

  s.Bool("rate_limit.enabled", &c.rate_limit.enabled);
  BindRate(s, "rate_limit.default.ip", c.rate_limit.default_group.ip);
  BindRate(s, "rate_limit.default.user", c.rate_limit.default_group.user);
  BindRate(s, "rate_limit.auth.ip", c.rate_limit.auth_group.ip);
  BindRate(s, "rate_limit.auth.user", c.rate_limit.auth_group.user);
  // rate/burst: per (username, client address), the bucket a guesser empties.
  s.Double("rate_limit.failed_login.rate", &c.failed_login.name_and_address.rate, 0.0001, 1e6);
  s.Double("rate_limit.failed_login.burst", &c.failed_login.name_and_address.burst, 1, 1e6);
  BindRate(s, "rate_limit.failed_login.address", c.failed_login.address);
  BindRate(s, "rate_limit.failed_login.name", c.failed_login.name);
  BindRate(s, "rate_limit.failed_login.device", c.failed_login.device);

  s.Enum("moderation.mode", &c.moderation.mode, {"off", "pre"});
  s.IdList("moderation.moderators", &c.moderation.moderators);
  s.Int("moderation.report_hide_threshold", &c.moderation.report_hide_threshold, std::int64_t{1},
        std::int64_t{1000});

  s.AllowEnv("REEL_CONFIG");
}

}  // namespace

Result<AppConfig> LoadAppConfig(const CliOverrides& cli,
                                const std::map<std::string, std::string>& env) {
  AppConfig c;
  config::Schema schema;
  Bind(schema, c);
  std::string file = cli.config_file;
  if (file.empty()) {
    if (auto it = env.find("REEL_CONFIG"); it != env.end()) file = it->second;
  }
  if (Status s = schema.LoadFile(file); !s.ok()) return s;
  if (Status s = schema.LoadEnv(env); !s.ok()) return s;
  if (!cli.host.empty()) c.http.host = cli.host;
  if (cli.port >= 0) {
    if (Status s = schema.Set("http.port", std::to_string(cli.port)); !s.ok()) return s;
  }
  if (!cli.data_dir.empty()) c.data_dir = cli.data_dir;
  if (!c.auth.jwt_secret.empty() && c.auth.jwt_secret.size() < 32) {
    return InvalidArgument("CONFIG_INVALID",
                           "config key auth.jwt_secret: must be at least 32 bytes");
  }
  if (c.media.store == "s3" && (c.media.s3.endpoint.empty() || c.media.s3.bucket.empty())) {
    return InvalidArgument("CONFIG_INVALID",
                           "config key media.store: s3 needs media.s3.endpoint and "
                           "media.s3.bucket");
  }
  if (c.media.s3.urls == "public" && c.media.s3.public_url.empty()) {
    return InvalidArgument("CONFIG_INVALID",
                           "config key media.s3.urls: public needs media.s3.public_url");
  }
  if (c.media.s3.presign_expiry > std::chrono::hours(24 * 7)) {
    return InvalidArgument("CONFIG_INVALID",
                           "config key media.s3.presign_expiry: S3 allows at most 7 days");
  }
  if (!c.redis.endpoint.empty()) {
    try {
      (void)redis::RedisEndpoint::Parse(c.redis.endpoint);
    } catch (const std::invalid_argument& e) {
      return InvalidArgument("CONFIG_INVALID",
                             std::string("config key redis.endpoint: ") + e.what());
    }
  }
  if (c.trace.enabled && c.trace.endpoint.empty()) {
    return InvalidArgument("CONFIG_INVALID",
                           "config key trace.enabled: tracing needs trace.endpoint (the "
                           "collector's OTLP/HTTP URL, e.g. http://127.0.0.1:4318)");
  }
  if (c.bus.driver == "redis" && c.redis.endpoint.empty()) {
    return InvalidArgument("CONFIG_INVALID", "config key bus.driver: redis needs redis.endpoint");
  }
  if (c.bus.driver == "kafka" && c.bus.kafka_bootstrap_servers.empty()) {
    return InvalidArgument("CONFIG_INVALID",
                           "config key bus.driver: kafka needs bus.kafka_bootstrap_servers");
  }
  if (auto proxies = http::TrustedProxies::Parse(c.http.trusted_proxies); !proxies.ok()) {
    return InvalidArgument("CONFIG_INVALID",
                           "config key http.trusted_proxies: " + proxies.status().message);
  }
  return c;
}

std::string DescribeAppConfig(const AppConfig& config) {
  AppConfig copy = config;
  config::Schema schema;
  Bind(schema, copy);
  std::string out;
  for (const auto& [key, value] : schema.Describe()) {
    const bool secret = key == "auth.jwt_secret" || key == "redis.password" ||
                        key == "database.mysql.password" || key == "media.s3.secret_key";
    out += key + " = " + (secret && !value.empty() ? "(set)" : value) + "  (" +
           config::Schema::EnvNameOf(key) + ")\n";
  }
  return out;
}

}  // namespace reel::app
