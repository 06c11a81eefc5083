#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/app_config.hpp"
#include "app/directories.hpp"
#include "comment/api/comment_rpc.hpp"
#include "comment/domain/comment_service.hpp"
#include "comment/store/cached_comment_repository.hpp"
#include "comment/store/sqlite_comment_repository.hpp"
#include "favorite/api/favorite_rpc.hpp"
#include "favorite/domain/favorite_service.hpp"
#include "favorite/store/cached_favorite_repository.hpp"
#include "favorite/store/sqlite_favorite_repository.hpp"
#include "feed/api/feed_rpc.hpp"
#include "feed/domain/hot_snapshots.hpp"
#include "kit/auth/password_hasher.hpp"
#include "kit/auth/token_signer.hpp"
#include "kit/blob/local_blob_store.hpp"
#include "kit/cache/change_epoch.hpp"
#include "kit/clock/clock.hpp"
#include "kit/db/migrations.hpp"
#include "kit/db/sqlite.hpp"
#include "kit/events/event_bus.hpp"
#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "kit/http/server.hpp"
#include "kit/limits/keyed_rate_limiter.hpp"
#include "relation/api/relation_rpc.hpp"
#include "relation/domain/relation_service.hpp"
#include "relation/store/cached_relation_repository.hpp"
#include "relation/store/sqlite_relation_repository.hpp"
#include "search/search_index.hpp"
#include "search/search_indexer.hpp"
#include "user/api/user_account_check.hpp"
#include "user/api/user_rpc.hpp"
#include "user/domain/login_throttle.hpp"
#include "user/domain/user_service.hpp"
#include "user/media/profile_images.hpp"
#include "user/store/cached_user_repository.hpp"
#include "user/store/sqlite_session_repository.hpp"
#include "user/store/sqlite_user_repository.hpp"
#include "video/api/video_rpc.hpp"
#include "video/domain/upload_sweeper.hpp"
#include "video/domain/video_service.hpp"
#include "video/store/cached_video_repository.hpp"
#include "video/store/sqlite_video_repository.hpp"
#include "views/media_urls.hpp"
#include "views/video_views.hpp"

namespace reel::app {

/// What every process mode shares: time, token signing and readiness.
struct Core {
  explicit Core(const AppConfig& config);

  const AppConfig& config;
  SystemClock clock;
  auth::TokenSigner signer;
  auth::RequestAuthenticator authenticator{signer};
  http::Readiness readiness;
  /// This process's subscribers (search index, cascades) subscribe here when their modules
  /// are built, before serving starts.
  events::InProcessEventBus events;
  /// Where services publish committed changes: `events` itself, or in a cluster a
  /// forwarder that also delivers to the processes subscribed to the kind. Set before the
  /// modules are built.
  events::EventSink* forwarder = nullptr;
  events::EventSink& publisher() { return forwarder ? *forwarder : events; }
  /// Advanced by every write to this process's stores (their caches' invalidations):
  /// renderings made from several stores are checked against it.
  cache::ChangeEpoch writes;
};

/// The user service, assembled: store → domain → API, and its profile pictures.
struct UserModule {
  UserModule(Core& core, db::SqliteDb& db);

  user::SqliteUserRepository repository;
  user::CachedUserRepository cached;  // in front of `repository`
  user::SqliteSessionRepository sessions;
  auth::PasswordHasher hasher;
  user::LoginThrottle failed_logins;
  user::UserService service;
  user::UserRpc rpc;
  /// The media store videos use (MediaDirectory), so GET /media/{key} serves pictures too.
  blob::LocalBlobStore blobs;
  user::ProfileImages images;
};

/// Makes `core.authenticator` check every write's user and session with the user service
/// (`users`: in-process or gRPC), remembering positive answers for auth.session_check_ttl.
/// Must outlive serving.
struct WriteChecks {
  WriteChecks(Core& core, user::UserClient& users);

  user::UserAccountCheck direct;
  auth::CachedAccountCheck cached;
};

/// The video service, assembled: media store and store → domain → API.
struct VideoModule {
  VideoModule(Core& core, db::SqliteDb& db);

  video::SqliteVideoRepository repository;
  video::CachedVideoRepository cached;  // in front of `repository` (database.cache_entries)
  blob::LocalBlobStore blobs;
  video::VideoService service;
  video::VideoRpc rpc;
  /// Expires unpublished uploads every media.sweep_interval. Last: it runs while the rest
  /// exists, and stops first.
  video::UploadSweeper sweeper;
};

/// The favorite service: likes and like counters. `videos` answers which videos exist. It
/// publishes likes to core.events and subscribes there to remove a deleted video's likes,
/// so it must not move once built.
struct FavoriteModule {
  FavoriteModule(Core& core, db::SqliteDb& db, favorite::VideoDirectory& videos);

  favorite::SqliteFavoriteRepository repository;
  favorite::CachedFavoriteRepository cached;  // in front of `repository`
  favorite::FavoriteService service;
  favorite::FavoriteRpc rpc;
};

/// The comment service. `videos` answers which videos exist and whose they are. It publishes
/// comments to core.events and subscribes there to remove a deleted video's comments, so it
/// must not move once built.
struct CommentModule {
  CommentModule(Core& core, db::SqliteDb& db, comment::VideoDirectory& videos);

  comment::SqliteCommentRepository repository;
  comment::CachedCommentRepository cached;  // in front of `repository`
  comment::CommentService service;
  comment::CommentRpc rpc;
};

/// The relation service: follows and messages. `users` answers which users exist.
struct RelationModule {
  RelationModule(Core& core, db::SqliteDb& db, relation::UserDirectory& users);

  relation::SqliteRelationRepository repository;
  relation::CachedRelationRepository cached;  // in front of `repository`
  relation::RelationService service;
  relation::RelationRpc rpc;
};

/// Search: a Xapian index in <data_dir>/search, kept in step with the services through the
/// event bus. An index that does not exist yet is built from the services first.
struct SearchModule {
  SearchModule(Core& core, const views::ServiceClients& clients);

  bool fresh;  // the index directory did not exist: everything was indexed at start-up
  search::SearchIndex index;
  search::SearchIndexer indexer;
};
std::string SearchIndexDirectory(const AppConfig& config);
/// media.dir, or <data_dir>/media.
std::string MediaDirectory(const AppConfig& config);

/// The feed: owns nothing durable, only the frozen hot rankings it pages over.
struct FeedModule {
  explicit FeedModule(Core& core, const views::ServiceClients& clients);

  feed::HotSnapshots hot;
  feed::FeedRpc rpc;
};

/// A component's schema, for the databases a process opens.
struct Schema {
  std::string_view component;
  std::span<const db::Migration> migrations;
};
inline constexpr std::string_view kUserComponent = "user";
inline constexpr std::string_view kVideoComponent = "video";
inline constexpr std::string_view kFavoriteComponent = "favorite";
inline constexpr std::string_view kCommentComponent = "comment";
inline constexpr std::string_view kRelationComponent = "relation";
std::vector<Schema> SchemasOf(std::span<const std::string_view> components);

/// Opens `<data_dir>/<name>.db` (or database.sqlite_path) and applies `schemas`.
std::unique_ptr<db::SqliteDb> OpenDatabase(const AppConfig& config, const std::string& name,
                                           const std::vector<Schema>& schemas);

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
