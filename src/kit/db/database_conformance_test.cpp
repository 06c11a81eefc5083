// The same behaviour from both drivers: the subset's forms, Changes(), error kinds,
// transactions, statement nesting, text and NULL round trips (kit/db/database.hpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kit/db/database.hpp"
#include "kit/db/migrations.hpp"
#include "kit/db/testing/test_database.hpp"

namespace reel::db {
namespace {

constexpr Migration kSchema[] = {
    {1, "items",
     "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, "
     "n INTEGER NOT NULL DEFAULT 0 CHECK (n >= 0), note TEXT)",
     "CREATE TABLE items (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(200) NOT "
     "NULL UNIQUE, n BIGINT NOT NULL DEFAULT 0 CHECK (n >= 0), note MEDIUMTEXT) ENGINE=InnoDB "
     "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"},
    {2, "counters and a second statement",
     "CREATE TABLE counters (k TEXT PRIMARY KEY, v INTEGER NOT NULL);"
     "CREATE INDEX items_n ON items (n)",
     "CREATE TABLE counters (k VARCHAR(64) NOT NULL PRIMARY KEY, v BIGINT NOT NULL) "
     "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;\n"
     "-- a comment; with a semicolon\n"
     "CREATE INDEX items_n ON items (n)"},
};

class DatabaseConformanceTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_db_conf_" + std::to_string(getpid()) + "_" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam(), dir_.string(), "conf", kSchema);
  }
  void TearDown() override {
    test_db_.reset();
    std::filesystem::remove_all(dir_);
  }
  Database& db() { return test_db_->db(); }

  std::int64_t Insert(const std::string& name, std::int64_t n = 0) {
    return db().Write([&](Connection& c) {
      c.Prepare("INSERT INTO items (name, n) VALUES (?, ?)").BindAll(name, n).Run();
      return c.LastInsertId();
    });
  }
  std::int64_t Count(const std::string& where = "1 = 1") {
    return db().Read([&](Connection& c) {
      auto s = c.Prepare("SELECT COUNT(*) FROM items WHERE " + where);
      return s.Step() ? s.Int(0) : -1;
    });
  }
  std::int64_t NOf(const std::string& name) {
    return db().Read([&](Connection& c) {
      auto s = c.Prepare("SELECT n FROM items WHERE name = ?");
      s.BindAll(name);
      return s.Step() ? s.Int(0) : -1;
    });
  }

  std::filesystem::path dir_;
  std::unique_ptr<testing::TestDatabase> test_db_;
};

TEST_P(DatabaseConformanceTest, IdsComeFromAutoIncrement) {
  const std::int64_t a = Insert("a");
  const std::int64_t b = Insert("b");
  EXPECT_GT(a, 0);
  EXPECT_EQ(b, a + 1);
}

TEST_P(DatabaseConformanceTest, InsertOrIgnoreAndOrReplace) {
  Insert("a", 1);
  db().Write([](Connection& c) {
    c.Prepare("INSERT OR IGNORE INTO items (name, n) VALUES (?, ?)").BindAll("a", 5).Run();
    EXPECT_EQ(c.Changes(), 0);
    c.Prepare("INSERT OR IGNORE INTO items (name, n) VALUES (?, ?)").BindAll("b", 2).Run();
    EXPECT_EQ(c.Changes(), 1);
  });
  EXPECT_EQ(NOf("a"), 1);
  EXPECT_EQ(NOf("b"), 2);
  db().Write([](Connection& c) {
    c.Prepare("INSERT OR REPLACE INTO items (name, n) VALUES (?, ?)").BindAll("a", 7).Run();
  });
  EXPECT_EQ(NOf("a"), 7);
  EXPECT_EQ(Count(), 2);
}

TEST_P(DatabaseConformanceTest, OnConflictDoUpdateWithExcluded) {
  const char* upsert =
      "INSERT INTO counters (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = counters.v + "
      "excluded.v";
  for (int i = 1; i <= 3; ++i) {
    db().Write([&](Connection& c) { c.Prepare(upsert).BindAll("x", i).Run(); });
  }
  const std::int64_t v = db().Read([](Connection& c) {
    auto s = c.Prepare("SELECT v FROM counters WHERE k = ?");
    s.BindAll("x");
    return s.Step() ? s.Int(0) : -1;
  });
  EXPECT_EQ(v, 6);
}

TEST_P(DatabaseConformanceTest, OnConflictDoNothing) {
  Insert("a", 1);
  db().Write([](Connection& c) {
    c.Prepare("INSERT INTO items (name, n) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
        .BindAll("a", 9)
        .Run();
    EXPECT_EQ(c.Changes(), 0);
    c.Prepare("INSERT INTO items (name, n) VALUES (?, ?) ON CONFLICT DO NOTHING")
        .BindAll("b", 9)
        .Run();
    EXPECT_EQ(c.Changes(), 1);
  });
  EXPECT_EQ(NOf("a"), 1);
  EXPECT_EQ(NOf("b"), 9);
}

TEST_P(DatabaseConformanceTest, ReturningOnInsertAndDelete) {
  const std::int64_t id = db().Write([](Connection& c) {
    auto s = c.Prepare("INSERT INTO items (name, n) VALUES (?, ?) RETURNING id, name");
    s.BindAll("r", 3);
    EXPECT_TRUE(s.Step());
    EXPECT_EQ(s.Text(1), "r");
    const std::int64_t got = s.Int(0);
    EXPECT_FALSE(s.Step());
    return got;
  });
  EXPECT_GT(id, 0);
  const std::int64_t deleted = db().Write([&](Connection& c) {
    auto s = c.Prepare("DELETE FROM items WHERE id = ? RETURNING n");
    s.BindAll(id);
    std::int64_t n = -1;
    while (s.Step()) n = s.Int(0);
    return n;
  });
  EXPECT_EQ(deleted, 3);
  EXPECT_EQ(Count(), 0);
}

TEST_P(DatabaseConformanceTest, ChangesCountsInsertedMatchedAndDeletedRows) {
  db().Write([](Connection& c) {
    c.Prepare("INSERT INTO items (name, n) VALUES (?, ?)").BindAll("a", 1).Run();
    EXPECT_EQ(c.Changes(), 1);
    c.Prepare("INSERT INTO items (name, n) VALUES (?, ?)").BindAll("b", 1).Run();
    // Matched, even where the value is already what it is set to (found rows).
    c.Prepare("UPDATE items SET n = ? WHERE n = ?").BindAll(1, 1).Run();
    EXPECT_EQ(c.Changes(), 2);
    c.Prepare("UPDATE items SET n = 5 WHERE name = ?").BindAll("nobody").Run();
    EXPECT_EQ(c.Changes(), 0);
    c.Prepare("DELETE FROM items WHERE name = ?").BindAll("a").Run();
    EXPECT_EQ(c.Changes(), 1);
  });
}

TEST_P(DatabaseConformanceTest, UniqueViolationHasItsKind) {
  Insert("a");
  try {
    Insert("a");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::kUniqueViolation) << e.what();
  }
  EXPECT_EQ(Count(), 1);
}

TEST_P(DatabaseConformanceTest, CheckViolationIsAConstraintError) {
  try {
    Insert("a", -1);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::kConstraint) << e.what();
  }
  try {
    db().Write([](Connection& c) {
      c.Prepare("INSERT INTO items (name, n) VALUES (?, ?)").BindNull(1).Bind(2, 1).Run();
    });
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::kConstraint) << e.what();
  }
  EXPECT_EQ(Count(), 0);
}

TEST_P(DatabaseConformanceTest, WriteThatThrowsOrFailsIsUndone) {
  EXPECT_THROW(db().Write([](Connection& c) {
    c.Prepare("INSERT INTO items (name) VALUES (?)").BindAll("thrown").Run();
    throw std::runtime_error("refused");
  }),
               std::runtime_error);
  const Status s = db().Write([](Connection& c) -> Status {
    c.Prepare("INSERT INTO items (name) VALUES (?)").BindAll("failed").Run();
    return InvalidArgument("NO", "refused");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Count(), 0);
  // The connections are fine afterwards.
  Insert("kept");
  EXPECT_EQ(Count(), 1);
}

TEST_P(DatabaseConformanceTest, NestedUseOfTheSameStatement) {
  for (const char* name : {"a", "b", "c"}) Insert(name, 1);
  const std::int64_t pairs = db().Read([](Connection& c) {
    const char* sql = "SELECT name FROM items WHERE n = ? ORDER BY name";
    std::int64_t count = 0;
    auto outer = c.Prepare(sql);
    outer.BindAll(1);
    while (outer.Step()) {
      const std::string name = outer.Text(0);
      auto inner = c.Prepare(sql);
      inner.BindAll(1);
      while (inner.Step()) ++count;
      // Another statement runs between rows of the outer one.
      auto other = c.Prepare("SELECT COUNT(*) FROM items WHERE name = ?");
      other.BindAll(name);
      EXPECT_TRUE(other.Step());
      EXPECT_EQ(other.Int(0), 1);
    }
    return count;
  });
  EXPECT_EQ(pairs, 9);
}

TEST_P(DatabaseConformanceTest, TextNullsAndLongTextRoundTrip) {
  const std::string unicode = "短视频 ☕ émoji 🎬 \"quoted\" 'single' back\\slash";
  std::string long_text;
  for (int i = 0; i < 20000; ++i) long_text += "0123456789abcdef🎬";
  db().Write([&](Connection& c) {
    c.Prepare("INSERT INTO items (name, note) VALUES (?, ?)").BindAll("u", unicode).Run();
    c.Prepare("INSERT INTO items (name, note) VALUES (?, ?)").BindAll("l", long_text).Run();
    c.Prepare("INSERT INTO items (name, note) VALUES (?, ?)").Bind(1, "n").BindNull(2).Run();
  });
  db().Read([&](Connection& c) {
    auto s = c.Prepare("SELECT note, n, id FROM items ORDER BY name");
    ASSERT_TRUE(s.Step());  // l
    EXPECT_EQ(s.Text(0), long_text);
    EXPECT_FALSE(s.IsNull(0));
    ASSERT_TRUE(s.Step());  // n
    EXPECT_TRUE(s.IsNull(0));
    EXPECT_FALSE(s.IsNull(1));
    EXPECT_EQ(s.Text(1), "0");  // an integer column read as text
    ASSERT_TRUE(s.Step());      // u
    EXPECT_EQ(s.Text(0), unicode);
    EXPECT_FALSE(s.Step());
    // Int() of a text column parses it; NULL reads as 0.
    auto t = c.Prepare("SELECT '42', NULL, 2.5");
    ASSERT_TRUE(t.Step());
    EXPECT_EQ(t.Int(0), 42);
    EXPECT_TRUE(t.IsNull(1));
    EXPECT_EQ(t.Int(1), 0);
    EXPECT_DOUBLE_EQ(t.Double(2), 2.5);
  });
}

TEST_P(DatabaseConformanceTest, ConcurrentWritesIncrementExactly) {
  db().Write([](Connection& c) {
    c.Prepare("INSERT INTO counters (k, v) VALUES (?, 0)").BindAll("c").Run();
  });
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        try {
          db().Write([&](Connection& c) {
            // Atomic on both engines (READ COMMITTED on MySQL: a read-then-write would need
            // FOR UPDATE, which the subset does not have).
            c.Prepare("UPDATE counters SET v = v + 1 WHERE k = ?").BindAll("c").Run();
            if (c.Changes() != 1) throw std::runtime_error("counter row not matched");
            c.Prepare("INSERT INTO items (name) VALUES (?)")
                .BindAll("t" + std::to_string(t) + "_" + std::to_string(i))
                .Run();
          });
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  const std::int64_t v = db().Read([](Connection& c) {
    auto s = c.Prepare("SELECT v FROM counters WHERE k = 'c'");
    return s.Step() ? s.Int(0) : -1;
  });
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(v, kThreads * kEach);
  EXPECT_EQ(Count(), kThreads * kEach);
}

TEST_P(DatabaseConformanceTest, MigrationsAreIdempotent) {
  EXPECT_EQ(CurrentVersion(db(), "conf"), 2);
  ASSERT_TRUE(ApplyMigrations(db(), "conf", kSchema).ok());
  EXPECT_EQ(CurrentVersion(db(), "conf"), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, DatabaseConformanceTest, testing::AllEngines(),
                         testing::EngineName);

}  // namespace
}  // namespace reel::db
