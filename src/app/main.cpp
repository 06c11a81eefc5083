// The reel binary: one executable, one subcommand per process mode.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "app/app_config.hpp"
#include "app/wiring.hpp"
#include "comment/api/comment_routes.hpp"
#include "favorite/api/favorite_routes.hpp"
#include "feed/api/feed_routes.hpp"
#include "kit/auth/password_hasher.hpp"
#include "kit/config/config_schema.hpp"
#include "kit/db/migrations.hpp"
#include "kit/log/log.hpp"
#include "relation/api/relation_routes.hpp"
#include "user/api/user_routes.hpp"
#include "video/api/media_routes.hpp"
#include "video/api/video_routes.hpp"

#ifndef REEL_VERSION
#define REEL_VERSION "dev"
#endif

namespace reel::app {
namespace {

constexpr int kAllPort = 8080;
constexpr int kUserPort = 8081;

// Settings shared by the subcommands that run servers.
void AddServerOptions(CLI::App& cmd, CliOverrides& cli) {
  cmd.add_option("--host", cli.host, "Address to listen on (http.host, REEL_HTTP_HOST)");
  cmd.add_option("--port", cli.port, "HTTP port (http.port, REEL_HTTP_PORT)")
      ->check(CLI::Range(0, 65535));
  cmd.add_option("--data-dir", cli.data_dir,
                 "Directory for databases, media and secrets (data_dir, REEL_DATA_DIR)");
}

Result<AppConfig> Prepare(const CliOverrides& cli) {
  auto config = LoadAppConfig(cli, config::ProcessEnvironment());
  if (!config.ok()) return config;
  log::Setup(config->log);
  // Uploads are spooled beside the media store so that keeping one is a rename.
  if (config->http.spool_dir.empty()) {
    config->http.spool_dir = (std::filesystem::path(config->data_dir) / "tmp").string();
  }
  auth::InitCrypto();
  return config;
}

constexpr std::string_view kAllComponents[] = {kUserComponent, kVideoComponent, kFavoriteComponent,
                                               kCommentComponent, kRelationComponent};

int RunAll(const AppConfig& config) {
  std::filesystem::create_directories(config.data_dir);
  Core core(config);
  auto db = OpenDatabase(config, "reel", SchemasOf(kAllComponents));
  UserModule users(core, *db);
  VideoModule videos(core, *db);
  VideoAuthors video_authors(videos.rpc);
  KnownUsers known_users(users.rpc);
  FavoriteModule favorites(core, *db, video_authors);
  CommentModule comments(core, *db, video_authors);
  RelationModule relations(core, *db, known_users);
  const int port = ListenPort(config, kAllPort);
  views::MediaUrls urls(PublicBaseUrl(config, port));
  const views::ServiceClients clients{&users.rpc, &videos.rpc, &favorites.rpc, &comments.rpc,
                                      &relations.rpc};
  views::UserViews user_views(clients);
  views::VideoViews video_views(user_views, clients, urls);

  http::Router router;
  user::AddUserDouyinRoutes(router, users.rpc, user_views, core.authenticator);
  user::AddUserApiRoutes(router, users.rpc, user_views, core.authenticator);
  video::AddVideoDouyinRoutes(router, videos.service, videos.rpc, video_views, core.authenticator,
                              config.media.max_upload_bytes);
  video::AddMediaRoutes(router, videos.blobs);
  feed::AddFeedDouyinRoutes(router, videos.rpc, video_views, core.authenticator, core.clock);
  favorite::AddFavoriteDouyinRoutes(router, favorites.rpc, video_views, videos.rpc,
                                    core.authenticator);
  comment::AddCommentDouyinRoutes(router, comments.rpc, user_views, core.authenticator);
  relation::AddRelationDouyinRoutes(router, relations.rpc, user_views, core.authenticator);
  log::Info("reel all: every service in one process", {{"data_dir", config.data_dir}});
  return Serve(core, std::move(router), port);
}

int RunService(const AppConfig& config, const std::string& service) {
  if (service != "user") {
    std::cerr << "reel serve: service '" << service << "' is not available yet (available: user)\n";
    return 2;
  }
  std::filesystem::create_directories(config.data_dir);
  Core core(config);
  const std::string_view components[] = {kUserComponent};
  auto db = OpenDatabase(config, service, SchemasOf(components));
  UserModule users(core, *db);
  // Alone, the user service cannot reach the others yet (gRPC comes later): their
  // counters read 0.
  views::UserViews user_views(views::ServiceClients{&users.rpc});
  http::Router router;
  user::AddUserDouyinRoutes(router, users.rpc, user_views, core.authenticator);
  user::AddUserApiRoutes(router, users.rpc, user_views, core.authenticator);
  return Serve(core, std::move(router), ListenPort(config, kUserPort));
}

int RunMigrate(const AppConfig& config, const std::string& service) {
  std::filesystem::create_directories(config.data_dir);
  const std::string_view one[] = {service};
  const auto schemas = service.empty() ? SchemasOf(kAllComponents) : SchemasOf(one);
  auto db = OpenDatabase(config, service.empty() ? "reel" : service, schemas);
  std::cout << "migrated " << db->path() << ":";
  for (const Schema& schema : schemas) {
    std::cout << " " << schema.component << " v" << db::CurrentVersion(*db, schema.component);
  }
  std::cout << "\n";
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App app{
      "reel — a short-video platform backend.\n"
      "Settings: defaults < --config FILE (YAML) < REEL_* environment < flags.\n"
      "`reel config` lists every setting with its variable."};
  app.set_version_flag("--version", std::string("reel ") + REEL_VERSION);
  app.require_subcommand(1);
  CliOverrides cli;
  app.add_option("--config", cli.config_file, "YAML config file (REEL_CONFIG)");

  auto* all =
      app.add_subcommand("all", "Run every service in one process on :8080 (embedded storage)");
  AddServerOptions(*all, cli);

  std::string service;
  auto* serve = app.add_subcommand("serve", "Run one service on its own ports (user: 8081)");
  serve->add_option("service", service, "Service to run")
      ->required()
      ->check(CLI::IsMember({"user", "video", "favorite", "comment", "feed", "relation"}));
  AddServerOptions(*serve, cli);

  std::string migrate_service;
  auto* migrate = app.add_subcommand("migrate", "Apply database migrations and exit");
  migrate
      ->add_option("--service", migrate_service,
                   "Migrate one service's own database (default: the all-in-one database)")
      ->check(CLI::IsMember({"user", "video", "favorite", "comment", "relation"}));
  migrate->add_option("--data-dir", cli.data_dir, "Directory for databases (REEL_DATA_DIR)");

  auto* show_config =
      app.add_subcommand("config", "Print every setting, its value and its variable");
  AddServerOptions(*show_config, cli);

  CLI11_PARSE(app, argc, argv);

  auto config = Prepare(cli);
  if (!config.ok()) {
    std::cerr << "reel: " << config.status().message << "\n";
    return 2;
  }
  try {
    if (*all) return RunAll(*config);
    if (*serve) return RunService(*config, service);
    if (*migrate) return RunMigrate(*config, migrate_service);
    if (*show_config) {
      std::cout << DescribeAppConfig(*config);
      return 0;
    }
  } catch (const std::exception& e) {
    log::Error("fatal", {{"error", e.what()}});
    std::cerr << "reel: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace reel::app

int main(int argc, char** argv) {
  return reel::app::Main(argc, argv);
}
