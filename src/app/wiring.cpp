#include "app/wiring.hpp"

#include <algorithm>
#include <filesystem>

#include "comment/api/comment_events.hpp"
#include "comment/store/comment_migrations.hpp"
#include "favorite/api/favorite_events.hpp"
#include "favorite/store/favorite_migrations.hpp"
#include "feed/api/hot_candidates.hpp"
#include "kit/http/health_routes.hpp"
#include "kit/log/log.hpp"
#include "relation/store/relation_migrations.hpp"
#include "user/store/user_migrations.hpp"
#include "video/store/video_migrations.hpp"

namespace reel::app {
namespace {

std::string SecretOf(const AppConfig& config) {
  if (!config.auth.jwt_secret.empty()) return config.auth.jwt_secret;
  const std::string path = config.auth.jwt_secret_file.empty()
                               ? (std::filesystem::path(config.data_dir) / "jwt.secret").string()
                               : config.auth.jwt_secret_file;
  return auth::LoadOrCreateSecret(path);
}

std::string DataPath(const AppConfig& config, std::string_view leaf) {
  return (std::filesystem::path(config.data_dir) / leaf).string();
}

/// The repository a service uses: `store` itself, or `cached` in front of it when caching
/// is on (database.cache_entries > 0).
template <class Repository>
Repository& StoreOf(const Core& core, Repository& store, Repository& cached) {
  return core.config.database.cache_entries > 0 ? cached : store;
}

std::size_t CacheEntries(const Core& core) {
  return static_cast<std::size_t>(std::max(1, core.config.database.cache_entries));
}

}  // namespace

Core::Core(const AppConfig& cfg)
    : config(cfg),
      signer(auth::TokenConfig{SecretOf(cfg), cfg.auth.access_ttl, cfg.auth.refresh_ttl,
                               cfg.auth.device_ttl},
             clock) {}

UserModule::UserModule(Core& core, db::SqliteDb& db)
    : repository(db),
      cached(repository, CacheEntries(core), &core.writes),
      sessions(db),
      hasher(core.config.auth.argon2),
      failed_logins(core.config.failed_login, core.clock),
      service(StoreOf<user::UserRepository>(core, repository, cached), sessions, hasher,
              core.signer, failed_logins, core.clock, core.publisher()),
      rpc(service),
      blobs(MediaDirectory(core.config)),
      images(blobs, core.config.http.spool_dir) {}

namespace {

video::MediaSettings VideoMediaSettings(const AppConfig& config) {
  return {.max_upload_bytes = config.media.max_upload_bytes,
          .work_dir = config.http.spool_dir,
          .pending_upload_ttl = config.media.pending_upload_ttl,
          .max_pending_uploads = config.media.max_pending_uploads_per_user,
          .max_bytes_per_user = config.media.max_bytes_per_user};
}

}  // namespace

WriteChecks::WriteChecks(Core& core, user::UserClient& users)
    : direct(users), cached(direct, core.clock, core.config.auth.session_check_ttl) {
  core.authenticator.CheckWritesWith(&cached);
}

VideoModule::VideoModule(Core& core, db::SqliteDb& db)
    : repository(db),
      cached(repository, CacheEntries(core), &core.writes),
      blobs(MediaDirectory(core.config)),
      service(StoreOf<video::VideoRepository>(core, repository, cached), blobs,
              VideoMediaSettings(core.config), core.clock, core.publisher()),
      rpc(service),
      sweeper(core.config.media.sweep_interval, [this] {
        const video::SweepReport swept = service.ExpireUploads();
        if (swept.uploads > 0) {
          log::Info("expired uploads removed",
                    {{"uploads", static_cast<std::int64_t>(swept.uploads)},
                     {"media_objects", static_cast<std::int64_t>(swept.objects)}});
        }
      }) {}

FavoriteModule::FavoriteModule(Core& core, db::SqliteDb& db, favorite::VideoDirectory& videos)
    : repository(db),
      cached(repository, CacheEntries(core), &core.writes),
      service(StoreOf<favorite::FavoriteRepository>(core, repository, cached), videos,
              core.publisher(), core.clock),
      rpc(service) {
  // A deleted video's likes go with it.
  core.events.Subscribe("favorite", favorite::FavoriteEventHandler(service));
}

CommentModule::CommentModule(Core& core, db::SqliteDb& db, comment::VideoDirectory& videos)
    : repository(db),
      cached(repository, CacheEntries(core), &core.writes),
      service(StoreOf<comment::CommentRepository>(core, repository, cached), videos,
              core.publisher(), core.clock),
      rpc(service) {
  // A deleted video's comments go with it.
  core.events.Subscribe("comment", comment::CommentEventHandler(service));
}

RelationModule::RelationModule(Core& core, db::SqliteDb& db, relation::UserDirectory& users)
    : repository(db),
      cached(repository, CacheEntries(core), &core.writes),
      service(StoreOf<relation::RelationRepository>(core, repository, cached), users, core.clock),
      rpc(service) {}

std::string MediaDirectory(const AppConfig& config) {
  return config.media.dir.empty() ? DataPath(config, "media") : config.media.dir;
}

std::string SearchIndexDirectory(const AppConfig& config) {
  return DataPath(config, "search");
}

SearchModule::SearchModule(Core& core, const views::ServiceClients& clients)
    : fresh(!std::filesystem::exists(SearchIndexDirectory(core.config))),
      index(SearchIndexDirectory(core.config)),
      indexer(index, clients) {
  core.events.Subscribe("search", [this](const events::Event& e) { indexer.OnEvent(e); });
  if (fresh) {
    // First start, or the index was deleted: whatever the services hold becomes findable.
    std::size_t videos = 0;
    std::size_t users = 0;
    if (Status s = indexer.IndexEverything([&](std::size_t v, std::size_t u) {
          videos = v;
          users = u;
        });
        !s.ok()) {
      throw std::runtime_error("building the search index: " + s.message);
    }
    log::Info("search index built", {{"videos", static_cast<std::int64_t>(videos)},
                                     {"users", static_cast<std::int64_t>(users)}});
  }
}

FeedModule::FeedModule(Core& core, const views::ServiceClients& clients)
    : hot([clients] { return feed::GatherHotCandidates(clients); }, core.clock),
      rpc(clients, hot) {}

std::vector<Schema> SchemasOf(std::span<const std::string_view> components) {
  std::vector<Schema> out;
  for (std::string_view c : components) {
    if (c == kUserComponent) out.push_back({c, user::UserSqliteMigrations()});
    if (c == kVideoComponent) out.push_back({c, video::VideoSqliteMigrations()});
    if (c == kFavoriteComponent) out.push_back({c, favorite::FavoriteSqliteMigrations()});
    if (c == kCommentComponent) out.push_back({c, comment::CommentSqliteMigrations()});
    if (c == kRelationComponent) out.push_back({c, relation::RelationSqliteMigrations()});
  }
  return out;
}

std::unique_ptr<db::SqliteDb> OpenDatabase(const AppConfig& config, const std::string& name,
                                           const std::vector<Schema>& schemas) {
  const std::string path = config.database.sqlite_path.empty() ? DataPath(config, name + ".db")
                                                               : config.database.sqlite_path;
  auto db = std::make_unique<db::SqliteDb>(db::SqliteOptions{path, config.database.busy_timeout,
                                                             config.database.read_connections,
                                                             config.database.synchronous});
  for (const Schema& schema : schemas) {
    if (Status s = db::ApplyMigrations(*db, schema.component, schema.migrations); !s.ok()) {
      throw std::runtime_error(s.message);
    }
  }
  return db;
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
