#include "kit/db/mysql_dialect.hpp"

#include <gtest/gtest.h>

namespace reel::db {
namespace {

TEST(MysqlDialectTest, InsertOrIgnoreAndReplace) {
  EXPECT_EQ(ToMysql("INSERT OR IGNORE INTO t (a) VALUES (?)"),
            "INSERT IGNORE INTO t (a) VALUES (?)");
  EXPECT_EQ(ToMysql("insert or replace into t (a) values (?)"), "REPLACE into t (a) values (?)");
}

TEST(MysqlDialectTest, OnConflictDoNothing) {
  EXPECT_EQ(ToMysql("INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a, b) DO NOTHING"),
            "INSERT IGNORE INTO t (a, b) VALUES (?, ?) ");
  EXPECT_EQ(ToMysql("INSERT INTO t (a) VALUES (?) ON CONFLICT DO NOTHING RETURNING id"),
            "INSERT IGNORE INTO t (a) VALUES (?)  RETURNING id");
  // Already IGNORE: not said twice.
  EXPECT_EQ(ToMysql("INSERT OR IGNORE INTO t (a) VALUES (?) ON CONFLICT DO NOTHING"),
            "INSERT IGNORE INTO t (a) VALUES (?) ");
}

TEST(MysqlDialectTest, OnConflictDoUpdateUsesValues) {
  EXPECT_EQ(ToMysql("INSERT INTO t (k, n, s) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET "
                    "n = t.n + excluded.n, s = EXCLUDED.\"s\""),
            "INSERT INTO t (k, n, s) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE n = t.n + "
            "VALUES(n), s = VALUES(\"s\")");
  EXPECT_EQ(ToMysql("INSERT INTO t (k, n) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET n = "
                    "CASE WHEN excluded.n > t.n THEN excluded.n ELSE t.n END RETURNING id"),
            "INSERT INTO t (k, n) VALUES (?, ?) ON DUPLICATE KEY UPDATE n = CASE WHEN VALUES(n) > "
            "t.n THEN VALUES(n) ELSE t.n END RETURNING id");
}

TEST(MysqlDialectTest, CrossJoinKeepsItsOrderAsStraightJoin) {
  EXPECT_EQ(ToMysql("SELECT a.x FROM a CROSS JOIN b ON b.k = a.k WHERE a.y = 'CROSS JOIN'"),
            "SELECT a.x FROM a STRAIGHT_JOIN b ON b.k = a.k WHERE a.y = 'CROSS JOIN'");
  EXPECT_EQ(ToMysql("select 1 from a cross join b"), "select 1 from a STRAIGHT_JOIN b");
}

TEST(MysqlDialectTest, QuotedTextAndCommentsPassThrough) {
  for (const char* sql : {
           "SELECT 'INSERT OR IGNORE INTO x' FROM t",
           "SELECT \"on conflict\" FROM t WHERE a = 'ON CONFLICT DO NOTHING'",
           "UPDATE t SET note = 'excluded.n' WHERE id = ?",
           "SELECT a FROM t -- INSERT OR REPLACE INTO\nWHERE b = 1",
           "SELECT a /* ON CONFLICT (a) DO UPDATE SET a = excluded.a */ FROM t",
           "SELECT 'it''s ON CONFLICT DO NOTHING' FROM t",
           "SELECT excluded FROM t",
           "INSERT INTO t (a) SELECT a FROM u",
       }) {
    EXPECT_EQ(ToMysql(sql), sql);
  }
  // A string ends at its closing quote, so what follows is rewritten again.
  EXPECT_EQ(ToMysql("INSERT INTO t (a) VALUES ('x;y''z') ON CONFLICT DO NOTHING"),
            "INSERT IGNORE INTO t (a) VALUES ('x;y''z') ");
}

TEST(MysqlDialectTest, SplitsStatementsOutsideQuotesAndComments) {
  const auto parts = SplitStatements(
      "CREATE TABLE a (x TEXT DEFAULT ';');\n-- a comment; with a semicolon\n"
      "CREATE INDEX i ON a (x) /* ; */;\n  \n;");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "CREATE TABLE a (x TEXT DEFAULT ';')");
  EXPECT_EQ(parts[1], "\n-- a comment; with a semicolon\nCREATE INDEX i ON a (x) /* ; */");
}

}  // namespace
}  // namespace reel::db
