#include "user/store/sql_user_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "kit/db/testing/test_database.hpp"
#include "user/store/sql_session_repository.hpp"
#include "user/store/user_migrations.hpp"

namespace reel::user {
namespace {

class SqlUserRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_user_repo");
    test_db_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "user",
                                                           UserMigrations());
    db_ = &test_db_->db();
    repo_ = std::make_unique<SqlUserRepository>(*db_);
  }
  void TearDown() override {
    repo_.reset();
    test_db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> test_db_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlUserRepository> repo_;
};

TEST_P(SqlUserRepositoryTest, CreateThenFind) {
  auto id = repo_->Create("alice", "hash-a", 1000);
  ASSERT_TRUE(id.ok());
  EXPECT_GT(*id, 0);
  auto user = repo_->FindById(*id);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->name, "alice");
  EXPECT_EQ(user->created_at_ms, 1000);
  auto creds = repo_->FindCredentials("alice");
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->password_hash, "hash-a");
  EXPECT_FALSE(repo_->FindById(*id + 100));
  EXPECT_FALSE(repo_->FindCredentials("bob"));
}

TEST_P(SqlUserRepositoryTest, NamesAreUniqueIgnoringAsciiCase) {
  ASSERT_TRUE(repo_->Create("Alice", "h", 1).ok());
  auto dup = repo_->Create("alice", "h2", 2);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().reason, "USERNAME_TAKEN");
  EXPECT_EQ(repo_->FindCredentials("ALICE")->password_hash, "h");
}

TEST_P(SqlUserRepositoryTest, FindByIdsSkipsMissingAndSpansChunks) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 150; ++i) ids.push_back(*repo_->Create("u" + std::to_string(i), "h", i));
  ids.push_back(999'999);
  auto users = repo_->FindByIds(ids);
  EXPECT_EQ(users.size(), 150u);
  EXPECT_TRUE(repo_->FindByIds({}).empty());
}

TEST_P(SqlUserRepositoryTest, UpdateProfileKeepsWhatIsNotGiven) {
  const auto id = *repo_->Create("alice", "hash-a", 1000);
  auto updated = repo_->UpdateProfile(id, {.signature = "sig", .avatar_key = "a.jpg"});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->name, "alice");
  EXPECT_EQ(updated->signature, "sig");
  EXPECT_EQ(updated->avatar, "a.jpg");
  EXPECT_EQ(updated->created_at_ms, 1000);
  updated = repo_->UpdateProfile(id, {.name = "alicia", .background_key = "b.jpg"});
  ASSERT_TRUE(updated.ok());
  const auto stored = repo_->FindById(id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->name, "alicia");
  EXPECT_EQ(stored->signature, "sig");
  EXPECT_EQ(stored->avatar, "a.jpg");
  EXPECT_EQ(stored->background_image, "b.jpg");
  EXPECT_EQ(repo_->FindCredentials("ALICIA")->password_hash, "hash-a");
  EXPECT_FALSE(repo_->FindCredentials("alice"));
}

TEST_P(SqlUserRepositoryTest, UpdateProfileRefusalsLeaveTheRow) {
  const auto alice = *repo_->Create("alice", "h", 1);
  ASSERT_TRUE(repo_->Create("Bob", "h", 2).ok());
  auto taken = repo_->UpdateProfile(alice, {.name = "BOB", .signature = "x"});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().reason, "USERNAME_TAKEN");
  EXPECT_EQ(repo_->FindById(alice)->name, "alice");
  EXPECT_EQ(repo_->FindById(alice)->signature, "");
  EXPECT_EQ(repo_->UpdateProfile(alice + 100, {.signature = "x"}).status().reason,
            "USER_NOT_FOUND");
}

// Sign-ups racing for one name in different cases: the unique key lets exactly one in.
TEST_P(SqlUserRepositoryTest, RacingSignUpsForOneNameLetOneIn) {
  constexpr int kThreads = 8;
  std::atomic<int> created{0};
  std::atomic<int> taken{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto id = repo_->Create(t % 2 ? "Racer" : "rACER", "h", t);
      if (id.ok()) ++created;
      if (!id.ok() && id.status().reason == "USERNAME_TAKEN") ++taken;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(taken.load(), kThreads - 1);
}

// Two uses of one refresh token at once: the generation moves once, so exactly one wins.
TEST_P(SqlUserRepositoryTest, RacingRotationsOfOneGenerationMoveItOnce) {
  SqlSessionRepository sessions(*db_);
  const auto user = *repo_->Create("alice", "h", 1);
  const std::int64_t session = sessions.Create(user, 10, 1000);
  constexpr int kThreads = 8;
  std::atomic<int> rotated{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      if (sessions.Rotate(session, 1, 20, 2000)) ++rotated;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(rotated.load(), 1);
  EXPECT_EQ(sessions.Find(session)->generation, 2);
  EXPECT_TRUE(sessions.Revoke(session, 30));
  EXPECT_FALSE(sessions.Revoke(session, 40));
}

INSTANTIATE_TEST_SUITE_P(Engines, SqlUserRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::user
