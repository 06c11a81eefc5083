#include "kit/db/sqlite.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kit/db/migrations.hpp"

namespace reel::db {
namespace {

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_sqlite_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<SqliteDb>(SqliteOptions{(dir_ / "t.db").string()});
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  static constexpr Migration kSchema[] = {
      {1, "items", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)"},
      {2, "items.count", "ALTER TABLE items ADD COLUMN n INTEGER NOT NULL DEFAULT 0"},
  };

  std::int64_t CountItems() {
    return db_->Read([](Connection& c) {
      auto s = c.Prepare("SELECT COUNT(*) FROM items");
      s.Step();
      return s.Int(0);
    });
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteDb> db_;
};

TEST_F(SqliteTest, MigrationsApplyOnceAndRecordVersions) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kSchema).ok());
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kSchema).ok());  // idempotent
  EXPECT_EQ(CurrentVersion(*db_, "test"), 2);
  EXPECT_EQ(CurrentVersion(*db_, "other"), 0);
}

TEST_F(SqliteTest, NewerDatabaseThanBinaryIsRefused) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kSchema).ok());
  Status s = ApplyMigrations(*db_, "test", std::span<const Migration>(kSchema, 1));
  EXPECT_EQ(s.code, Code::kInternal);
  EXPECT_NE(s.message.find("newer"), std::string::npos) << s.message;
}

TEST_F(SqliteTest, ParametersAreBoundNotSpliced) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kSchema).ok());
  const std::string hostile = "x'); DROP TABLE items; --";
  db_->Write([&](Connection& c) {
    c.Prepare("INSERT INTO items (name) VALUES (?)").BindAll(hostile).Run();
  });
  auto name = db_->Read([](Connection& c) {
    auto s = c.Prepare("SELECT name FROM items");
    s.Step();
    return s.Text(0);
  });
  EXPECT_EQ(name, hostile);
}

TEST_F(SqliteTest, FailedResultRollsBackTheTransaction) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kSchema).ok());
  Result<int> r = db_->Write([](Connection& c) -> Result<int> {
    c.Prepare("INSERT INTO items (name) VALUES ('a')").Run();
    return NotFound("NOPE", "refused after a write");
  });
  EXPECT_EQ(r.status().reason, "NOPE");  // the refusal comes back as it was
  EXPECT_EQ(CountItems(), 0);
}

TEST_F(SqliteTest, ExceptionRollsBackAndUniqueViolationIsRecognised) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kSchema).ok());
  try {
    db_->Write([](Connection& c) {
      c.Prepare("INSERT INTO items (name) VALUES ('a')").Run();
      c.Prepare("INSERT INTO items (name) VALUES ('a')").Run();
    });
    FAIL() << "expected a unique violation";
  } catch (const SqliteError& e) {
    EXPECT_TRUE(e.IsUniqueViolation()) << e.what();
  }
  EXPECT_EQ(CountItems(), 0);
}

TEST_F(SqliteTest, NestedUsesOfOneStatementEachGetTheirOwn) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kSchema).ok());
  db_->Write([](Connection& c) {
    for (const char* name : {"a", "b", "c"}) {
      c.Prepare("INSERT INTO items (name) VALUES (?)").BindAll(name).Run();
    }
  });
  constexpr std::string_view kFrom = "SELECT name FROM items WHERE id >= ? ORDER BY id";
  // A loop over rows that runs the same query for each row, as a store helper might.
  std::vector<std::string> seen = db_->Read([&](Connection& c) {
    std::vector<std::string> rows;
    auto outer = c.Prepare(kFrom);
    outer.Bind(1, 2);
    while (outer.Step()) {
      rows.push_back(outer.Text(0));
      auto inner = c.Prepare(kFrom);  // freshly reset and unbound, though `outer` is running
      EXPECT_EQ(inner.Step(), false) << "nothing bound: id >= NULL matches no row";
      auto again = c.Prepare(kFrom);
      again.Bind(1, 3);
      while (again.Step()) rows.push_back("inner " + again.Text(0));
    }
    return rows;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"b", "inner c", "c", "inner c"}));

  // Once all are gone, the cached statement is handed out fresh again.
  const std::string first = db_->Read([&](Connection& c) {
    auto s = c.Prepare(kFrom);
    s.Bind(1, 1);
    return s.Step() ? s.Text(0) : std::string();
  });
  EXPECT_EQ(first, "a");
}

TEST_F(SqliteTest, ConcurrentWritersAndReadersLoseNothing) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kSchema).ok());
  db_->Write(
      [](Connection& c) { c.Prepare("INSERT INTO items (id, name) VALUES (1, 'counter')").Run(); });
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        if (t % 2 == 0) {
          db_->Write(
              [](Connection& c) { c.Prepare("UPDATE items SET n = n + 1 WHERE id = 1").Run(); });
        } else {
          (void)CountItems();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  auto n = db_->Read([](Connection& c) {
    auto s = c.Prepare("SELECT n FROM items WHERE id = 1");
    s.Step();
    return s.Int(0);
  });
  EXPECT_EQ(n, 300);
}

TEST_F(SqliteTest, WritesThatWaitCommitTogetherEachKeptOrUndoneAlone) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kSchema).ok());
  // The first write holds the writer until five more are queued behind it; those five then
  // commit as one group: two stored, one refused, one thrown, one that breaks a constraint.
  std::atomic<bool> release{false}, first_running{false};
  std::thread first([&] {
    db_->Write([&](Connection& c) {
      c.Prepare("INSERT INTO items (name) VALUES ('first')").Run();
      first_running = true;
      for (int i = 0; i < 5000 && !release; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
  });
  while (!first_running) std::this_thread::yield();
  const std::uint64_t commits_before = db_->commits();

  std::atomic<int> stored{0}, refused{0}, thrown{0}, violated{0};
  std::vector<std::thread> group;
  group.emplace_back([&] {
    db_->Write([](Connection& c) { c.Prepare("INSERT INTO items (name) VALUES ('a')").Run(); });
    ++stored;
  });
  group.emplace_back([&] {
    Status s = db_->Write([](Connection& c) {
      c.Prepare("INSERT INTO items (name) VALUES ('refused')").Run();
      return PermissionDenied("NO", "refused after writing");
    });
    if (s.reason == "NO") ++refused;
  });
  group.emplace_back([&] {
    try {
      db_->Write([](Connection& c) {
        c.Prepare("INSERT INTO items (name) VALUES ('thrown')").Run();
        throw std::runtime_error("boom");
      });
    } catch (const std::runtime_error&) {
      ++thrown;
    }
  });
  group.emplace_back([&] {
    try {
      db_->Write([](Connection& c) {
        c.Prepare("INSERT INTO items (name) VALUES ('half')").Run();
        c.Prepare("INSERT INTO items (name) VALUES ('first')").Run();  // already taken
      });
    } catch (const SqliteError& e) {
      if (e.IsUniqueViolation()) ++violated;
    }
  });
  group.emplace_back([&] {
    auto id = db_->Write([](Connection& c) -> Result<std::int64_t> {
      c.Prepare("INSERT INTO items (name) VALUES ('b')").Run();
      return c.LastInsertId();
    });
    if (id.ok() && *id > 0) ++stored;
  });
  for (int i = 0; i < 5000 && db_->queued_writes() < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(db_->queued_writes(), 5u);
  release = true;
  first.join();
  for (auto& t : group) t.join();

  EXPECT_EQ(stored, 2);
  EXPECT_EQ(refused, 1);
  EXPECT_EQ(thrown, 1);
  EXPECT_EQ(violated, 1);
  EXPECT_EQ(db_->commits() - commits_before, 2u) << "the first write's commit, then one group";
  auto names = db_->Read([](Connection& c) {
    std::vector<std::string> out;
    auto s = c.Prepare("SELECT name FROM items ORDER BY name");
    while (s.Step()) out.push_back(s.Text(0));
    return out;
  });
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "first"}));
}

}  // namespace
}  // namespace reel::db
