#include "kit/db/sqlite.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

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
  EXPECT_FALSE(s.ok());
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
  EXPECT_FALSE(r.ok());
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

}  // namespace
}  // namespace reel::db
