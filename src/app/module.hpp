#pragma once
// The contract between a process and the service modules it hosts (docs/architecture.md,
// "Service modules"). A module (src/<service>/<service>_module.cpp) builds one service from
// the process's shared parts: its store(s), caches, domain, *Rpc, routes, gRPC adapter and
// event subscriptions. `reel all` builds every module in one process; `reel serve <svc>`
// builds that service's modules with gRPC clients for the rest (src/app/modules.cpp says
// which process hosts which module). Modules include this header and app_config.hpp, and
// nothing else of src/app/.

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "app/app_config.hpp"
#include "kit/auth/token_signer.hpp"
#include "kit/blob/blob_store.hpp"
#include "kit/bus/bus.hpp"
#include "kit/cache/change_epoch.hpp"
#include "kit/cache/shared_tier.hpp"
#include "kit/clock/clock.hpp"
#include "kit/db/database.hpp"
#include "kit/db/migrations.hpp"
#include "kit/events/event.hpp"
#include "kit/events/outbox.hpp"
#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "kit/redis/redis_client.hpp"
#include "views/media_urls.hpp"
#include "views/service_clients.hpp"
#include "views/user_views.hpp"
#include "views/video_views.hpp"

namespace grpc {
class Service;
}

namespace reel::app {

struct ModuleSpec;

/// Where a process keeps its modules' tables. SQLite (database.driver "sqlite"): one file
/// shared by the process's modules, in `reel all` <data_dir>/reel.db, in a service process
/// <data_dir>/<service>.db; database.sqlite_path overrides either. MySQL ("mysql"): each
/// module its own database, <database_prefix><module> (reel_user, ...), on the configured
/// primary and replicas. Opened on a module's first Open, which applies its migrations.
/// Used while modules are built, on one thread; the databases outlive the modules.
class Databases {
 public:
  Databases(const AppConfig& config, std::string name);
  ~Databases();

  /// The database holding `module`'s tables, with its migrations (ModuleSpec::migrations,
  /// under the module's name) applied. Throws std::runtime_error (or db::Error when the
  /// engine cannot be reached) when it cannot be opened or migrated.
  db::Database& Open(const ModuleSpec& module);
  /// What Open(module) opens, for messages: the SQLite file, or mysql://host:port/db.
  std::string Describe(const ModuleSpec& module) const;
  /// Every database opened so far (for /readyz).
  std::vector<db::Database*> Opened() const;
  /// The outbox of `db` (one of Open's), made with its table on first use: where the
  /// stores of every module writing to `db` record their events.
  events::Outbox& OutboxFor(db::Database& db);
  /// OutboxFor(Open(module)).
  events::Outbox& OutboxOf(const ModuleSpec& module) { return OutboxFor(Open(module)); }
  /// Every outbox made so far (the process relays each).
  std::vector<events::Outbox*> Outboxes() const;

 private:
  const AppConfig& config_;
  std::string name_;
  std::unique_ptr<db::Database> sqlite_;
  std::map<std::string, std::unique_ptr<db::Database>, std::less<>> mysql_;
  SystemClock clock_;
  std::map<db::Database*, std::unique_ptr<events::Outbox>> outboxes_;
};

/// What a module is built from: the process's shared parts and the other services'
/// clients. Everything referred to outlives the module.
struct ModuleContext {
  const AppConfig& config;
  const Clock& clock;
  const auth::TokenSigner& signer;
  /// Checks tokens; the process makes it check writers with the user service.
  auth::RequestAuthenticator& authenticator;
  /// Advanced by every invalidation of the module's caches (see views::RenderedVideos).
  cache::ChangeEpoch& writes;
  /// play_url, cover_url and picture URLs.
  const views::MediaUrls& urls;
  /// The services' clients: gRPC for the services of other processes; in-process *Rpc for
  /// the modules built before this one. A module may call, while it is built, only those
  /// (ModuleSpec order); it may keep references to them.
  const views::ServiceClients& clients;
  Databases& databases;
  /// The process's event bus (what the job service reports on).
  bus::Bus* bus = nullptr;
  /// The deployment's shared Redis (redis.endpoint), or null when none is configured.
  redis::RedisClient* redis = nullptr;
  /// The second level of the module's caches and their invalidations across processes,
  /// or null: caches then stay in this process (see CachesOn).
  cache::SharedTier* shared_caches = nullptr;
};

/// What routes show objects with: built once every module of the process is, over every
/// service's client.
struct ModuleViews {
  views::UserViews& users;
  views::VideoViews& videos;
};

/// One service (or a piece every process may host: media, API docs, the web client), built.
/// Not movable: routes, subscriptions and clients refer to it.
class ServiceModule {
 public:
  ServiceModule() = default;
  virtual ~ServiceModule() = default;
  ServiceModule(const ServiceModule&) = delete;
  ServiceModule& operator=(const ServiceModule&) = delete;

  /// Puts the module's own client (its *Rpc) in its slot of `clients`, so the process's
  /// other modules and views call it in-process. Called right after the module is built.
  virtual void ProvideClient(views::ServiceClients& clients) { (void)clients; }
  /// Adds the module's HTTP routes. Called once, after every module of the process is built.
  virtual void AddRoutes(http::Router& router, const ModuleViews& views) = 0;
  /// The module's gRPC service (`reel serve` serves it on its gRPC port); null for none.
  virtual grpc::Service* GrpcService() { return nullptr; }
  /// An event of a kind ModuleSpec::subscribes names, after its change committed (in this
  /// process or another), on the module's consumer thread (`reel all`: the writing
  /// thread). Delivery is at least once: must be idempotent. Throwing retries it, with
  /// backoff, and after bus.max_attempts parks it as a dead letter (`reel job dlq`).
  virtual void OnEvent(const events::Event& event) { (void)event; }
};

/// A module as data: what a process needs to know before building it.
struct ModuleSpec {
  std::string_view name;
  std::unique_ptr<ServiceModule> (*make)(ModuleContext& context) = nullptr;
  /// The event kinds OnEvent gets, through the bus's consumer group named after the module:
  /// each event reaches one process hosting it (replicas share the work)...
  std::span<const events::EventKind> subscribes;
  /// ... or, when set, every process hosting it (a group per process: state each keeps,
  /// such as a search index).
  bool consumes_in_every_process = false;
  /// Its tables' migrations (under `name` in the ledger); null for a module without tables.
  std::span<const db::Migration> (*migrations)() = nullptr;
};

/// `path` under data_dir.
std::string DataPath(const AppConfig& config, std::string_view leaf);
/// media.dir, or <data_dir>/media.
std::string MediaDirectory(const AppConfig& config);
/// The media store (videos, covers, profile pictures): files under MediaDirectory today.
/// An object store is chosen here.
std::unique_ptr<blob::BlobStore> OpenMediaStore(const AppConfig& config);
/// How play_url / cover_url name an S3 store's objects (media.s3.urls): nothing for "proxy"
/// and the local store (this server's /media), else a public or presigned URL of the key.
/// `clock` dates presigned URLs and must outlive the result.
views::MediaUrls::KeyUrl MediaKeyUrl(const AppConfig& config, const Clock& clock);

/// A client of redis.endpoint, or null when none is configured. Connects nothing yet.
/// Throws std::runtime_error when redis.password_file cannot be read.
std::unique_ptr<redis::RedisClient> OpenRedis(const AppConfig& config);

/// Whether stores get an in-memory cache in front (database.cache_entries > 0), and its size.
bool CachesOn(const AppConfig& config);
std::size_t CacheEntries(const AppConfig& config);

/// `*client`, or a std::logic_error naming the module whose list order is wrong: a module
/// built before the service it asks for.
template <typename Client>
Client& Need(Client* client, std::string_view module, std::string_view service) {
  if (!client) {
    throw std::logic_error("module " + std::string(module) + " needs the " + std::string(service) +
                           " client: build it after " + std::string(service));
  }
  return *client;
}

}  // namespace reel::app
