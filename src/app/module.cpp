#include "app/module.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "kit/blob/local_blob_store.hpp"
#include "kit/blob/s3_blob_store.hpp"
#include "kit/blob/s3_presigned_urls.hpp"
#include "kit/db/migrations.hpp"
#include "kit/db/mysql_db.hpp"
#include "kit/db/sqlite.hpp"

namespace reel::app {

namespace {

std::string SqlitePath(const AppConfig& config, const std::string& process) {
  return config.database.sqlite_path.empty() ? DataPath(config, process + ".db")
                                             : config.database.sqlite_path;
}

bool OnMysql(const AppConfig& config) {
  return config.database.driver == "mysql";
}

// A password given in the settings (from the environment), else the first line of its file;
// `file_key` names the setting in the error when the file cannot be read.
std::string PasswordOf(const std::string& password, const std::string& file,
                       std::string_view file_key) {
  if (!password.empty() || file.empty()) return password;
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + std::string(file_key) + " " + file);
  std::string line;
  std::getline(in, line);
  return line;
}

db::MysqlOptions MysqlOptionsFor(const MysqlSettings& settings, const std::string& database) {
  db::MysqlOptions options;
  Result<db::MysqlEndpoint> primary = db::MysqlEndpoint::Parse(settings.primary);
  if (!primary.ok()) {
    throw std::runtime_error("database.mysql.primary: " + primary.status().message);
  }
  options.primary = *primary;
  for (const std::string& text : settings.replicas) {
    Result<db::MysqlEndpoint> replica = db::MysqlEndpoint::Parse(text);
    if (!replica.ok()) {
      throw std::runtime_error("database.mysql.replicas: " + replica.status().message);
    }
    options.replicas.push_back(*replica);
  }
  options.user = settings.user;
  options.password =
      PasswordOf(settings.password, settings.password_file, "database.mysql.password_file");
  options.database = database;
  options.pool_size = settings.pool_size;
  options.connect_timeout = settings.connect_timeout;
  options.query_timeout = settings.query_timeout;
  options.pool_wait = settings.pool_wait;
  options.replica_wait = settings.replica_wait;
  options.health_interval = settings.health_interval;
  return options;
}

}  // namespace

Databases::Databases(const AppConfig& config, std::string name)
    : config_(config), name_(std::move(name)) {}

Databases::~Databases() = default;

std::string Databases::Describe(const ModuleSpec& module) const {
  if (!OnMysql(config_)) return SqlitePath(config_, name_);
  return "mysql://" + config_.database.mysql.primary + "/" +
         config_.database.mysql.database_prefix + std::string(module.name);
}

db::Database& Databases::Open(const ModuleSpec& module) {
  db::Database* db = nullptr;
  if (OnMysql(config_)) {
    auto it = mysql_.find(module.name);
    if (it == mysql_.end()) {
      const std::string database =
          config_.database.mysql.database_prefix + std::string(module.name);
      it = mysql_
               .emplace(std::string(module.name),
                        db::OpenMysql(MysqlOptionsFor(config_.database.mysql, database)))
               .first;
    }
    db = it->second.get();
  } else {
    if (!sqlite_) {
      const DatabaseSettings& settings = config_.database;
      sqlite_ = std::make_unique<db::SqliteDb>(
          db::SqliteOptions{SqlitePath(config_, name_), settings.busy_timeout,
                            settings.read_connections, settings.synchronous});
    }
    db = sqlite_.get();
  }
  if (module.migrations) {
    if (Status s = db::ApplyMigrations(*db, module.name, module.migrations()); !s.ok()) {
      throw std::runtime_error(s.message);
    }
  }
  return *db;
}

events::Outbox& Databases::OutboxFor(db::Database& db) {
  auto it = outboxes_.find(&db);
  if (it != outboxes_.end()) return *it->second;
  if (Status s = db::ApplyMigrations(db, "outbox", events::OutboxMigrations()); !s.ok()) {
    throw std::runtime_error(s.message);
  }
  return *outboxes_.emplace(&db, std::make_unique<events::Outbox>(db, clock_)).first->second;
}

std::vector<events::Outbox*> Databases::Outboxes() const {
  std::vector<events::Outbox*> out;
  for (const auto& [db, outbox] : outboxes_) out.push_back(outbox.get());
  return out;
}

std::vector<db::Database*> Databases::Opened() const {
  std::vector<db::Database*> out;
  if (sqlite_) out.push_back(sqlite_.get());
  for (const auto& [name, db] : mysql_) out.push_back(db.get());
  return out;
}

std::string DataPath(const AppConfig& config, std::string_view leaf) {
  return (std::filesystem::path(config.data_dir) / leaf).string();
}

std::string MediaDirectory(const AppConfig& config) {
  return config.media.dir.empty() ? DataPath(config, "media") : config.media.dir;
}

namespace {

// The bucket's credentials from the settings (the environment) or from credentials_file's
// access_key= and secret_key= lines.
void ReadS3Credentials(const S3MediaSettings& settings, blob::S3Options& options) {
  options.access_key = settings.access_key;
  options.secret_key = settings.secret_key;
  if (!options.access_key.empty() || settings.credentials_file.empty()) return;
  std::ifstream in(settings.credentials_file);
  if (!in) {
    throw std::runtime_error("cannot read media.s3.credentials_file " + settings.credentials_file);
  }
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = line.substr(0, eq);
    if (name == "access_key") options.access_key = line.substr(eq + 1);
    if (name == "secret_key") options.secret_key = line.substr(eq + 1);
  }
}

blob::S3Options S3OptionsOf(const AppConfig& config) {
  const S3MediaSettings& s3 = config.media.s3;
  blob::S3Options options;
  options.endpoint = s3.endpoint;
  options.region = s3.region;
  options.bucket = s3.bucket;
  ReadS3Credentials(s3, options);
  options.path_style = s3.path_style;
  options.multipart_threshold = s3.multipart_threshold;
  options.part_size = s3.part_size;
  options.connect_timeout = s3.connect_timeout;
  options.stall_timeout = std::chrono::duration_cast<std::chrono::seconds>(s3.stall_timeout);
  options.cache_dir = s3.cache_dir.empty() ? DataPath(config, "media-cache") : s3.cache_dir;
  options.cache_max_bytes = s3.cache_max_bytes;
  return options;
}

}  // namespace

std::unique_ptr<blob::BlobStore> OpenMediaStore(const AppConfig& config) {
  if (config.media.store != "s3") {
    return std::make_unique<blob::LocalBlobStore>(MediaDirectory(config));
  }
  return std::make_unique<blob::S3BlobStore>(S3OptionsOf(config));
}

views::MediaUrls::KeyUrl MediaKeyUrl(const AppConfig& config, const Clock& clock) {
  const S3MediaSettings& s3 = config.media.s3;
  if (config.media.store != "s3" || s3.urls == "proxy") return {};
  if (s3.urls == "public") {
    std::string base = s3.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return [base](std::string_view key) { return base + "/" + std::string(key); };
  }
  auto signer = std::make_shared<blob::PresignedUrls>(
      S3OptionsOf(config), std::chrono::duration_cast<std::chrono::seconds>(s3.presign_expiry),
      clock);
  return [signer](std::string_view key) {
    auto url = signer->Of(key);
    return url.ok() ? std::move(*url) : std::string();
  };
}

std::unique_ptr<redis::RedisClient> OpenRedis(const AppConfig& config) {
  const RedisSettings& settings = config.redis;
  if (settings.endpoint.empty()) return nullptr;
  redis::RedisOptions options;
  options.endpoint = redis::RedisEndpoint::Parse(settings.endpoint);
  options.password = PasswordOf(settings.password, settings.password_file, "redis.password_file");
  options.pool_size = settings.pool_size;
  options.connect_timeout = settings.connect_timeout;
  options.command_timeout = settings.command_timeout;
  options.pool_wait = settings.pool_wait;
  return std::make_unique<redis::RedisClient>(std::move(options));
}

bool CachesOn(const AppConfig& config) {
  // On MySQL a service may run as several processes over one database, and an in-process
  // cache sees only its own process's writes: the caches are kept coherent across
  // processes through Redis (Core::shared_caches), so without one they are off there and
  // every read asks the database.
  return config.database.cache_entries > 0 && (!OnMysql(config) || !config.redis.endpoint.empty());
}

std::size_t CacheEntries(const AppConfig& config) {
  return static_cast<std::size_t>(std::max(1, config.database.cache_entries));
}

}  // namespace reel::app
