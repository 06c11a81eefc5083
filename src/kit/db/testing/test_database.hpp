#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kit/db/database.hpp"
#include "kit/db/migrations.hpp"
#include "kit/db/mysql_db.hpp"

// Store tests run on every engine: SQLite in a temp directory, and MySQL on the suite's real
// MariaDB (scripts/engines, started once per ctest run by the "mariadb" fixture in
// cmake/reel_test.cmake), each test in a database of its own.
//
//   class FooStoreTest : public ::testing::TestWithParam<db::Engine> { ... };
//   INSTANTIATE_TEST_SUITE_P(Engines, FooStoreTest, db::testing::AllEngines(),
//                            db::testing::EngineName);
namespace reel::db::testing {

inline auto AllEngines() {
  return ::testing::Values(Engine::kSqlite, Engine::kMysql);
}
/// "Sqlite" / "Mysql", for test names.
std::string EngineName(const ::testing::TestParamInfo<Engine>& info);

/// An empty directory for the running test: `<gtest TempDir>/<prefix>_<pid>_<suite>_<test>`
/// ('/' of parameterised names made '_'), emptied if an earlier run left it.
std::filesystem::path FreshTestDir(std::string_view prefix);

/// The engine's plan for `sql`, one line per step: SQLite's EXPLAIN QUERY PLAN details, or
/// MySQL EXPLAIN's key and Extra columns. For tests that a statement uses an index and no
/// sort (SQLite says "TEMP B-TREE", MySQL "filesort").
std::string QueryPlan(Database& db, const std::string& sql);

/// The first column of the first row of `sql` with `args` bound, as an integer (a COUNT(*)
/// ground truth, a counter's value); 0 when there is no row.
template <typename... Args>
std::int64_t QueryInt(Database& db, const std::string& sql, const Args&... args) {
  return db.Read([&](Connection& conn) -> std::int64_t {
    auto row = conn.Prepare(sql);
    if constexpr (sizeof...(args) > 0) row.BindAll(args...);
    return row.Step() ? row.Int(0) : 0;
  });
}

/// The suite's MariaDB: where it listens and how to log in, read from the directory
/// REEL_TEST_MYSQL_DIR names. Throws std::runtime_error saying how to get one when it is
/// unset (a test run outside ctest) or the server does not run.
struct MysqlServer {
  std::string dir;
  MysqlEndpoint endpoint;
  std::string user;
  std::string password;
};
MysqlServer SuiteMysql();

/// MysqlOptions for `database` on the suite's server, with timeouts suited to tests.
MysqlOptions SuiteMysqlOptions(const std::string& database);

/// A fresh, empty database for one test with `component`'s migrations applied: a file in
/// `sqlite_dir`, or a new database on the suite's MariaDB (t_<pid>_<n>_<random>) that is
/// dropped when this object goes.
class TestDatabase {
 public:
  TestDatabase(Engine engine, const std::string& sqlite_dir, std::string_view component,
               std::span<const Migration> migrations);
  /// Several components in one database (a module whose tables come in parts).
  TestDatabase(Engine engine, const std::string& sqlite_dir,
               std::vector<std::pair<std::string_view, std::span<const Migration>>> components);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Database& db() { return *db_; }
  Engine engine() const { return engine_; }
  /// The MySQL database's name (empty on SQLite).
  const std::string& mysql_database() const { return mysql_database_; }

 private:
  Engine engine_;
  std::string mysql_database_;
  std::unique_ptr<Database> db_;
};

/// A fresh MySQL database name on the suite's server (not created).
std::string FreshMysqlDatabaseName();

}  // namespace reel::db::testing
