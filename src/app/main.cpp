// The reel binary: one executable, one subcommand per process mode.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "app/all_in_one.hpp"
#include "app/app_config.hpp"
#include "app/job_commands.hpp"
#include "app/module.hpp"
#include "app/modules.hpp"
#include "app/service_process.hpp"
#include "app/wiring.hpp"
#include "kit/auth/password_hasher.hpp"
#include "kit/config/config_schema.hpp"
#include "kit/db/migrations.hpp"
#include "kit/http/health_routes.hpp"
#include "kit/log/log.hpp"
#include "search/search_index.hpp"
#include "search/search_indexer.hpp"
#include "search/search_module.hpp"

#ifndef REEL_VERSION
#define REEL_VERSION "dev"
#endif

namespace reel::app {
namespace {

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

int RunAll(const AppConfig& config) {
  AllInOne platform(config);
  http::Router router = platform.Routes();
  log::Info("reel all: every service in one process", {{"data_dir", config.data_dir}});
  return Serve(platform.core(), std::move(router), platform.port());
}

// Builds the all-in-one process on a scratch data directory and prints its route table:
// for people, and for the test that checks api/openapi.yaml describes every route.
int RunRoutes(AppConfig config) {
  const std::filesystem::path scratch =
      std::filesystem::temp_directory_path() / ("reel-routes-" + std::to_string(::getpid()));
  config.data_dir = scratch.string();
  config.http.spool_dir = (scratch / "tmp").string();
  config.auth.jwt_secret = std::string(32, 'r');  // never signs anything here
  // Standard output carries the table alone.
  config.log.level = "warn";
  log::Setup(config.log);
  {
    AllInOne platform(config);
    http::Router router = platform.Routes();
    http::AddHealthRoutes(router, platform.core().readiness);
    for (const http::Route& route : router.routes()) {
      std::cout << route.method << " " << route.pattern << "\n";
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(scratch, ignored);
  return 0;
}

// Builds a new search index beside the live one from what the services hold, then swaps
// it in. The server must be stopped: it holds the index open.
int RunReindex(const AppConfig& config) {
  namespace fs = std::filesystem;
  const fs::path live = search::SearchIndexDirectory(config);
  const fs::path fresh = live.string() + ".new";
  const fs::path old = live.string() + ".old";
  if (fs::exists(live)) {
    try {
      search::SearchIndex probe(live.string());  // fails while a server holds the index
    } catch (const std::exception& e) {
      std::cerr << "reel reindex: the search index is in use; stop reel first (" << e.what()
                << ")\n";
      return 1;
    }
  }
  fs::remove_all(fresh);
  {
    AllInOne platform(config, {.search = false});
    search::SearchIndex index(fresh.string());
    search::SearchIndexer indexer(index, platform.clients());
    const bool tty = ::isatty(STDERR_FILENO) != 0;
    std::size_t shown_videos = 0;
    std::size_t shown_users = 0;
    const Status status = indexer.IndexEverything([&](std::size_t videos, std::size_t users) {
      shown_videos = videos;
      shown_users = users;
      if (tty)
        std::cerr << "\rindexed " << videos << " videos, " << users << " users" << std::flush;
    });
    if (tty) std::cerr << "\n";
    if (!status.ok()) {
      std::cerr << "reel reindex: " << status.message << "\n";
      return 1;
    }
    std::cout << "indexed " << shown_videos << " videos and " << shown_users << " users into "
              << live.string() << "\n";
  }
  fs::remove_all(old);
  if (fs::exists(live)) fs::rename(live, old);
  fs::rename(fresh, live);
  fs::remove_all(old);
  return 0;
}

// The processes with tables of their own: `reel migrate --service` takes their names.
std::vector<std::string> ServicesWithTables() {
  std::vector<std::string> out;
  for (const ProcessSpec& process : ServiceProcesses()) {
    for (const ModuleSpec* module : ModulesOf(process)) {
      if (module->migrations) {
        out.emplace_back(process.name);
        break;
      }
    }
  }
  return out;
}

// Opens the database of `reel all` (no service) or of `reel serve <service>` as its modules
// would, applying their migrations, and says where each component stands.
int RunMigrate(const AppConfig& config, const std::string& service) {
  std::filesystem::create_directories(config.data_dir);
  const ProcessSpec process = service.empty() ? AllInOneProcess() : *FindService(service);
  Databases databases(config, service.empty() ? "reel" : service);
  for (const ModuleSpec* module : ModulesOf(process)) {
    if (!module->migrations) continue;
    db::Database& db = databases.Open(*module);
    std::cout << "migrated " << db.Describe() << ": " << module->name << " v"
              << db::CurrentVersion(db, module->name) << "\n";
  }
  // Every database gets the event outbox (its stores record there).
  for (db::Database* db : databases.Opened()) {
    databases.OutboxFor(*db);
    std::cout << "migrated " << db->Describe() << ": outbox v" << db::CurrentVersion(*db, "outbox")
              << "\n";
  }
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
  auto* serve = app.add_subcommand(
      "serve",
      "Run one service on its own HTTP and gRPC ports, calling the others over gRPC\n"
      "(user 8081/9081, video 8082/9082, favorite 8083/9083, comment 8084/9084,\n"
      "feed 8085/9085, relation 8086/9086, job 8087/9087, moderation 8088/9088;\n"
      "scripts/cluster starts them all behind nginx)");
  std::vector<std::string> service_names;
  for (const ProcessSpec& s : ServiceProcesses()) service_names.emplace_back(s.name);
  serve->add_option("service", service, "Service to run")
      ->required()
      ->check(CLI::IsMember(service_names));
  AddServerOptions(*serve, cli);

  std::string migrate_service;
  auto* migrate = app.add_subcommand("migrate", "Apply database migrations and exit");
  migrate
      ->add_option("--service", migrate_service,
                   "Migrate one service's own database (default: the all-in-one database)")
      ->check(CLI::IsMember(ServicesWithTables()));
  migrate->add_option("--data-dir", cli.data_dir, "Directory for databases (REEL_DATA_DIR)");

  auto* job = app.add_subcommand(
      "job",
      "Run the job service (HTTP 8087 and gRPC 9087 for health): the cascade of deleted\n"
      "videos and the counters reconciler, consuming the event bus; or inspect the bus");
  AddServerOptions(*job, cli);
  auto* job_status = job->add_subcommand(
      "status", "Each consumer group's position, lag, pending and dead letters");
  auto* dlq = job->add_subcommand("dlq", "Events that failed every attempt (dead letters)");
  dlq->require_subcommand(1);
  std::string dlq_group;
  int dlq_limit = 100;
  auto* dlq_list = dlq->add_subcommand("list", "Show dead letters, oldest first");
  dlq_list->add_option("--group", dlq_group, "Only this consumer group's (default: every group's)");
  dlq_list->add_option("--limit", dlq_limit, "At most this many per group")
      ->check(CLI::Range(1, 10000));
  std::vector<std::string> dlq_ids;
  auto* dlq_replay = dlq->add_subcommand(
      "replay", "Hand dead letters back to their group, which delivers each once more");
  dlq_replay->add_option("--group", dlq_group, "The consumer group")->required();
  dlq_replay->add_option("ids", dlq_ids, "Dead letter ids (default: all of the group's)");

  auto* reindex = app.add_subcommand(
      "reindex", "Rebuild the search index from the database (stop the server first)");
  reindex->add_option("--data-dir", cli.data_dir, "Directory for databases (REEL_DATA_DIR)");

  auto* routes = app.add_subcommand(
      "routes", "Print every HTTP route of `reel all` (method and pattern) and exit");

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
    if (*serve) return RunServiceProcess(*config, service);
    if (*job_status) return RunJobStatus(*config);
    if (*dlq_list) return RunDeadLetterList(*config, dlq_group, dlq_limit);
    if (*dlq_replay) return RunDeadLetterReplay(*config, dlq_group, dlq_ids);
    if (*job) return RunServiceProcess(*config, "job");
    if (*migrate) return RunMigrate(*config, migrate_service);
    if (*routes) return RunRoutes(*config);
    if (*reindex) return RunReindex(*config);
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
  // hiredis writes to its sockets with write(): a Redis server that went away mid-command
  // would end the process with SIGPIPE instead of the EPIPE the client turns into a
  // REDIS_UNAVAILABLE error (MariaDB's library happens to ignore it too, SQLite's does not).
  std::signal(SIGPIPE, SIG_IGN);
  return reel::app::Main(argc, argv);
}
