#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "kit/auth/password_hasher.hpp"
#include "kit/http/http_config.hpp"
#include "kit/http/middleware/middleware.hpp"
#include "kit/limits/keyed_rate_limiter.hpp"
#include "kit/log/log.hpp"
#include "kit/rpc/rpc_config.hpp"
#include "kit/status/status.hpp"
#include "user/domain/login_throttle.hpp"

namespace reel::app {

struct AuthSettings {
  /// HS256 secret (≥ 32 bytes), best given as REEL_AUTH_JWT_SECRET. When empty, the secret
  /// is read from jwt_secret_file, which is created on first start.
  std::string jwt_secret;
  std::string jwt_secret_file;  // default <data_dir>/jwt.secret
  /// Douyin clients cannot refresh, so access tokens live a day; refresh tokens a month.
  std::chrono::milliseconds access_ttl = std::chrono::hours(24);
  std::chrono::milliseconds refresh_ttl = std::chrono::hours(24 * 30);
  /// Device tokens (a client that logged in before; see user::LoginThrottle): half a year.
  std::chrono::milliseconds device_ttl = std::chrono::hours(24 * 180);
  /// How long a service trusts the user service's "this session may write" (a logout in
  /// another process is seen by this one's writes within it; 0 asks on every write).
  std::chrono::milliseconds session_check_ttl = std::chrono::seconds(5);
  auth::Argon2Params argon2;
};

/// A MariaDB/MySQL deployment: one database per service on a primary, read from replicas.
struct MysqlSettings {
  /// "host:port", "host" (port 3306) or a unix socket path ("/run/mysqld/mysqld.sock").
  std::string primary = "127.0.0.1:3306";
  /// Read replicas in the same forms; reads go round robin to the healthy ones.
  std::vector<std::string> replicas;
  std::string user = "reel";
  /// Best given as REEL_DATABASE_MYSQL_PASSWORD, or in password_file; never in a committed
  /// YAML file.
  std::string password;
  std::string password_file;
  /// Each service's database is <prefix><service> (reel_user, reel_video, ...).
  std::string database_prefix = "reel_";
  /// Connections per server (primary, each replica) and per service database.
  int pool_size = 8;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds query_timeout{10000};
  /// How long a request waits for a free connection before answering 503.
  std::chrono::milliseconds pool_wait{2000};
  /// Read-your-writes: how long a write waits for the replicas to apply it; a replica
  /// slower than that stops serving reads until it catches up.
  std::chrono::milliseconds replica_wait{1000};
  /// How often unhealthy servers are probed (and replicas' lag checked).
  std::chrono::milliseconds health_interval{1000};
};

struct DatabaseSettings {
  /// "sqlite" (embedded, the default) or "mysql" (MariaDB/MySQL, settings below).
  std::string driver = "sqlite";
  MysqlSettings mysql;
  std::string sqlite_path;  // default <data_dir>/<process>.db
  std::chrono::milliseconds busy_timeout{5000};
  int read_connections = 4;
  std::string synchronous = "normal";
  /// Entries of each in-memory cache in front of a service's store (profiles, counters,
  /// videos, first pages); 0 turns them off. Writers invalidate them, so they are only for a
  /// process that is its store's only writer: `reel all`, or one process per service.
  int cache_entries = 100000;
};

/// An S3-compatible bucket as the media store (media.store: s3), kit/blob/s3_blob_store.hpp.
struct S3MediaSettings {
  std::string endpoint;  ///< scheme://host[:port], e.g. http://127.0.0.1:9000
  std::string region = "us-east-1";
  std::string bucket;
  /// Credentials: these (REEL_MEDIA_S3_ACCESS_KEY / REEL_MEDIA_S3_SECRET_KEY), else the
  /// access_key= and secret_key= lines of credentials_file (as scripts/engines s3 writes it).
  std::string access_key;
  std::string secret_key;
  std::string credentials_file;
  bool path_style = true;  ///< endpoint/bucket/key; false: bucket.host/key
  std::uint64_t multipart_threshold = 16ull << 20;
  std::uint64_t part_size = 8ull << 20;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds stall_timeout{30000};
  /// Whole objects downloaded for callers that need a local file (BlobStore::LocalPath),
  /// at most cache_max_bytes of them (least recently used out first). /media does not use
  /// it: it relays ranged reads. Empty: <data_dir>/media-cache.
  std::string cache_dir;
  std::uint64_t cache_max_bytes = 1ull << 30;
  /// What play_url / cover_url point at (docs/architecture.md, "S3 blob store"):
  /// "proxy": <public_base_url>/media/<key>, streamed from S3 by this server;
  /// "public": <public_url>/<key>, a public bucket or a CDN in front of it;
  /// "presigned": a presigned GET of the object on `endpoint`, valid for presign_expiry.
  std::string urls = "proxy";
  std::string public_url;
  std::chrono::milliseconds presign_expiry = std::chrono::hours(6);
};

struct MediaSettings {
  /// "local" (a directory, below) or "s3" (a bucket, media.s3.*).
  std::string store = "local";
  /// The local media store (videos, covers, pictures). Empty: <data_dir>/media. In a cluster
  /// the user and video services share one (the stand-in for an object store).
  std::string dir;
  S3MediaSettings s3;
  std::uint64_t max_upload_bytes = 100ull << 20;
  /// Base of play_url / cover_url. Empty: http://<listen host>:<port> (localhost when the
  /// server listens on every address). Set it when phones or other machines play videos.
  std::string public_base_url;
  /// Uploads not published within this time are removed, with the media only they kept, by
  /// a sweep every sweep_interval.
  std::chrono::milliseconds pending_upload_ttl = std::chrono::hours(24);
  std::chrono::milliseconds sweep_interval = std::chrono::minutes(5);
  /// Per user: unpublished uploads held at once (429 UPLOADS_PENDING_LIMIT beyond), and
  /// bytes of their videos and pending uploads (413 STORAGE_QUOTA_EXCEEDED beyond).
  std::int64_t max_pending_uploads_per_user = 20;
  std::uint64_t max_bytes_per_user = 10ull << 30;
};

/// A Redis server the processes share (redis.endpoint; empty: none): caches coherent across
/// replicas, rate limits and sessions (docs/architecture.md, "Redis across replicas").
struct RedisSettings {
  std::string endpoint;  ///< host:port, e.g. 127.0.0.1:6379
  /// AUTH password: this (REEL_REDIS_PASSWORD), else the first line of password_file.
  std::string password;
  std::string password_file;
  int pool_size = 16;
  std::chrono::milliseconds connect_timeout{200};
  std::chrono::milliseconds command_timeout{500};
  std::chrono::milliseconds pool_wait{200};
  /// Prefix of every key and channel, so several deployments may share one server.
  std::string key_prefix = "reel:";
  /// How long a shared cache entry lives in Redis without being read again.
  std::chrono::milliseconds cache_ttl = std::chrono::minutes(10);
};

/// The event bus between processes (issue 20; docs/architecture.md, "Events").
struct BusSettings {
  /// "in-process" (only `reel all`: its own subscribers), "redis" (Redis Streams on
  /// redis.endpoint), "kafka" (bus.kafka.bootstrap_servers), or "auto": in-process for
  /// `reel all`, redis for `reel serve` and `reel job`.
  std::string driver = "auto";
  /// Redis Streams: streams per bus (a key's events stay in one, in order) and the length
  /// each is trimmed to (about).
  int partitions = 4;
  std::int64_t max_len = 1'000'000;
  /// How long a consumer holds a partition without renewing it: what a crashed consumer
  /// costs its group before another member takes over.
  std::chrono::milliseconds lease{3000};
  /// Attempts per event and consumer group before it is parked as a dead letter.
  int max_attempts = 5;
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  /// How often a process's outbox relay looks for events no write published at once.
  std::chrono::milliseconds outbox_poll{100};
  std::string kafka_bootstrap_servers;
  std::string kafka_topic = "reel.events";
};

/// The job service (`reel job`, and the job module of `reel all`).
struct JobSettings {
  /// How often the counters reconciler compares every counter with its rows (0: never).
  std::chrono::milliseconds reconcile_interval = std::chrono::minutes(10);
};

/// Tracing (issue 21): spans exported over OTLP/HTTP (protobuf) to a collector.
struct TraceSettings {
  /// Off by default: spans are still made, and log lines carry their ids.
  bool enabled = false;
  /// The collector's OTLP/HTTP base URL ("http://127.0.0.1:4318"); required when enabled.
  std::string endpoint;
  /// The share of the traces this process starts that are kept (a caller's decision is
  /// always followed).
  double sample_ratio = 1.0;
};

struct WebSettings {
  /// The built web client (`npm run build` in web/), served at `/` by `reel all`. Relative
  /// paths start at the working directory; ./scripts/run runs from the repository root.
  std::string dist_dir = "web/dist";
};

/// Moderation (issue 16).
struct ModerationSettings {
  /// "off" (new videos approved at once) or "pre" (pending until a moderator approves; until
  /// then only their author sees them).
  std::string mode = "off";
  /// Moderators by user id; they may also grant and revoke the moderator role.
  std::vector<std::int64_t> moderators;
  /// Distinct users with open reports on a target that hide it pending review.
  std::int64_t report_hide_threshold = 3;
};

/// Every setting of a reel process. Defaults are compiled in here; a YAML file and REEL_*
/// variables override them (app_config.cpp lists every key).
struct AppConfig {
  std::string data_dir = "data";
  http::HttpConfig http;
  log::LogConfig log;
  AuthSettings auth;
  DatabaseSettings database;
  MediaSettings media;
  RedisSettings redis;
  BusSettings bus;
  JobSettings job;
  TraceSettings trace;
  WebSettings web;
  /// gRPC: this process's server and its calls to the other services (cluster mode).
  rpc::RpcConfig rpc;
  http::RateLimitConfig rate_limit;
  /// Failed logins: per (username, address), per address, per username, per device token.
  user::LoginThrottleConfig failed_login;
  ModerationSettings moderation;
};

/// Command-line values that override the file and the environment (empty/negative: unset).
struct CliOverrides {
  std::string config_file;
  std::string host;
  int port = -1;
  std::string data_dir;
};

/// Loads defaults < config file < environment < command line, validating every value.
/// Errors (CONFIG_INVALID) name the offending key or variable.
Result<AppConfig> LoadAppConfig(const CliOverrides& cli,
                                const std::map<std::string, std::string>& env);

/// "key = value  (REEL_KEY)" lines for every setting, for `reel config`.
std::string DescribeAppConfig(const AppConfig& config);

}  // namespace reel::app
