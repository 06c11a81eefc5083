#include "app/module.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "kit/blob/local_blob_store.hpp"

namespace reel::app {

Databases::Databases(const AppConfig& config, std::string name)
    : config_(config), name_(std::move(name)) {}

std::string Databases::path() const {
  return config_.database.sqlite_path.empty() ? DataPath(config_, name_ + ".db")
                                              : config_.database.sqlite_path;
}

db::SqliteDb& Databases::Sqlite(const ModuleSpec& module) {
  if (!db_) {
    const DatabaseSettings& settings = config_.database;
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{
        path(), settings.busy_timeout, settings.read_connections, settings.synchronous});
  }
  if (module.sqlite_migrations) {
    if (Status s = db::ApplyMigrations(*db_, module.name, module.sqlite_migrations()); !s.ok()) {
      throw std::runtime_error(s.message);
    }
  }
  return *db_;
}

std::string DataPath(const AppConfig& config, std::string_view leaf) {
  return (std::filesystem::path(config.data_dir) / leaf).string();
}

std::string MediaDirectory(const AppConfig& config) {
  return config.media.dir.empty() ? DataPath(config, "media") : config.media.dir;
}

std::unique_ptr<blob::BlobStore> OpenMediaStore(const AppConfig& config) {
  return std::make_unique<blob::LocalBlobStore>(MediaDirectory(config));
}

bool CachesOn(const AppConfig& config) {
  return config.database.cache_entries > 0;
}

std::size_t CacheEntries(const AppConfig& config) {
  return static_cast<std::size_t>(std::max(1, config.database.cache_entries));
}

}  // namespace reel::app
