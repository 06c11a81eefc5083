// The statement names that label reel_db_statement_duration_seconds, and what a database's
// metrics record, read back through the process's exposition.
#include "kit/db/db_metrics.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "kit/db/sqlite.hpp"

namespace reel::db {
namespace {

TEST(StatementNameTest, NamesTheVerbAndTheTableWhateverTheSpacingOrCase) {
  EXPECT_EQ(StatementName("SELECT id, title FROM videos WHERE id = ?"), "select videos");
  EXPECT_EQ(StatementName("  insert INTO favorites(user_id, video_id) VALUES (?, ?)"),
            "insert favorites");
  EXPECT_EQ(StatementName("UPDATE user_stats SET n = n + 1"), "update user_stats");
  EXPECT_EQ(StatementName("DELETE FROM outbox WHERE seq <= ?"), "delete outbox");
  EXPECT_EQ(StatementName("REPLACE INTO t2 VALUES (1)"), "replace t2");
  EXPECT_EQ(StatementName("WITH x AS (SELECT 1) SELECT * FROM comments JOIN x"), "select comments");
  EXPECT_EQ(StatementName("SELECT COUNT(*)"), "select");
}

TEST(StatementNameTest, WhatNamesNoTableIsOther) {
  EXPECT_EQ(StatementName("PRAGMA journal_mode=WAL"), "other");
  EXPECT_EQ(StatementName("CREATE TABLE t (id INTEGER)"), "other");
  EXPECT_EQ(StatementName(""), "other");
  // Values never reach the name: it is built from the SQL text, whose values are `?`.
  EXPECT_EQ(StatementName("SELECT * FROM videos WHERE title = 'x y z'"), "select videos");
}

TEST(DbMetricsTest, AStatementIsTimedAndARefusedRowCountedByKind) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("reel-db-metrics-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    SqliteDb db({.path = (dir / "metricsprobe.db").string()});
    db.Write([](Connection& conn) { conn.Exec("CREATE TABLE probes (id INTEGER PRIMARY KEY)"); });
    db.Write([](Connection& conn) {
      conn.Prepare("INSERT INTO probes (id) VALUES (?)").BindAll(1).Run();
    });
    EXPECT_THROW(db.Write([](Connection& conn) {
      conn.Prepare("INSERT INTO probes (id) VALUES (?)").BindAll(1).Run();
    }),
                 Error);
    EXPECT_EQ(db.MetricsName(), "metricsprobe");
  }
  const std::string text = metrics::Scrape();
  EXPECT_NE(
      text.find(
          R"(reel_db_statement_duration_seconds_count{database="metricsprobe",statement="insert probes"} 2)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(reel_db_errors_total{database="metricsprobe",kind="unique_violation"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(reel_db_errors_total{database="metricsprobe",kind="unavailable"} 0)"),
            std::string::npos)
      << "a kind that never happened should be there at 0";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace reel::db
