#include "kit/db/testing/test_database.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "kit/db/sqlite.hpp"

namespace reel::db::testing {
namespace {

std::string FirstLine(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

std::string EngineName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kMysql ? "Mysql" : "Sqlite";
}

std::filesystem::path FreshTestDir(std::string_view prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  std::replace(name.begin(), name.end(), '/', '_');  // Engines/Suite.Test/Engine
  const auto dir = std::filesystem::path(::testing::TempDir()) /
                   (std::string(prefix) + "_" + std::to_string(getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string QueryPlan(Database& db, const std::string& sql) {
  const bool mysql = db.engine() == Engine::kMysql;
  return db.Read([&](Connection& conn) {
    std::string out;
    auto rows = conn.Prepare((mysql ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql);
    while (rows.Step()) {
      if (!mysql) {
        out += rows.Text(3) + "\n";
        continue;
      }
      for (int column : {5, 9}) {  // key, Extra
        out += (rows.IsNull(column) ? std::string("NULL") : rows.Text(column)) + " ";
      }
      out += "\n";
    }
    return out;
  });
}

MysqlServer SuiteMysql() {
  const char* dir = std::getenv("REEL_TEST_MYSQL_DIR");
  if (dir == nullptr || *dir == '\0') {
    throw std::runtime_error(
        "REEL_TEST_MYSQL_DIR is not set: run the test through ctest (its \"mariadb\" fixture "
        "starts the suite's server), or start one with `scripts/engines mariadb start DIR` "
        "and set REEL_TEST_MYSQL_DIR=DIR");
  }
  MysqlServer server;
  server.dir = dir;
  const std::string port = FirstLine(server.dir + "/port");
  server.password = FirstLine(server.dir + "/password");
  if (port.empty() || server.password.empty()) {
    throw std::runtime_error("no MariaDB set up in " + server.dir +
                             " (scripts/engines mariadb start " + server.dir + ")");
  }
  server.endpoint.host = "127.0.0.1";
  server.endpoint.port = std::stoi(port);
  server.user = "reel";
  return server;
}

MysqlOptions SuiteMysqlOptions(const std::string& database) {
  const MysqlServer server = SuiteMysql();
  MysqlOptions options;
  options.primary = server.endpoint;
  options.user = server.user;
  options.password = server.password;
  options.database = database;
  options.pool_size = 4;
  options.connect_timeout = std::chrono::milliseconds(2000);
  options.query_timeout = std::chrono::milliseconds(20000);
  options.pool_wait = std::chrono::milliseconds(10000);
  options.health_interval = std::chrono::milliseconds(200);
  return options;
}

std::string FreshMysqlDatabaseName() {
  static std::atomic<int> counter{0};
  std::random_device random;
  return "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(random() % 1000000);
}

TestDatabase::TestDatabase(Engine engine, const std::string& sqlite_dir, std::string_view component,
                           std::span<const Migration> migrations)
    : TestDatabase(engine, sqlite_dir, {{component, migrations}}) {}

TestDatabase::TestDatabase(
    Engine engine, const std::string& sqlite_dir,
    std::vector<std::pair<std::string_view, std::span<const Migration>>> components)
    : engine_(engine) {
  if (engine == Engine::kMysql) {
    mysql_database_ = FreshMysqlDatabaseName();
    db_ = OpenMysql(SuiteMysqlOptions(mysql_database_));
  } else {
    std::filesystem::create_directories(sqlite_dir);
    db_ = std::make_unique<SqliteDb>(SqliteOptions{sqlite_dir + "/test.db"});
  }
  for (const auto& [component, migrations] : components) {
    if (Status s = ApplyMigrations(*db_, component, migrations); !s.ok()) {
      throw std::runtime_error("migrating " + std::string(component) + ": " + s.message);
    }
  }
}

TestDatabase::~TestDatabase() {
  if (engine_ != Engine::kMysql || !db_) return;
  try {
    db_->Write([&](Connection& conn) { conn.Exec("DROP DATABASE IF EXISTS " + mysql_database_); });
  } catch (const std::exception&) {
    // Left for the fixture's cleanup, which removes the whole server.
  }
}

}  // namespace reel::db::testing
