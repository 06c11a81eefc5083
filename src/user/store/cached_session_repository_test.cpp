#include "user/store/cached_session_repository.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "kit/db/testing/test_database.hpp"
#include "user/store/sql_session_repository.hpp"
#include "user/store/sql_user_repository.hpp"
#include "user/store/user_migrations.hpp"

namespace reel::user {
namespace {

constexpr std::int64_t kNow = 1'000'000;
constexpr std::int64_t kExpires = kNow + 3'600'000;

class CachedSessionRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_cached_session");
    test_db_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "user",
                                                           UserMigrations());
    db_ = &test_db_->db();
    users_ = std::make_unique<SqlUserRepository>(*db_);
    store_ = std::make_unique<SqlSessionRepository>(*db_);
    cached_ = std::make_unique<CachedSessionRepository>(*store_, 1000, clock_);
    auto id = users_->Create("ann", "hash", kNow);
    ASSERT_TRUE(id.ok());
    user_ = *id;
  }
  void TearDown() override {
    cached_.reset();
    store_.reset();
    users_.reset();
    test_db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Revokes behind the cache's back, as no real writer may.
  void RevokeBehindItsBack(std::int64_t id) {
    db_->Write([&](db::Connection& conn) {
      conn.Prepare("UPDATE sessions SET revoked_at_ms = 1 WHERE id = ?").BindAll(id).Run();
    });
  }

  ManualClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> test_db_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlUserRepository> users_;
  std::unique_ptr<SqlSessionRepository> store_;
  std::unique_ptr<CachedSessionRepository> cached_;
  std::int64_t user_ = 0;
};

TEST_P(CachedSessionRepositoryTest, FindIsServedFromMemoryOnceRead) {
  const std::int64_t id = cached_->Create(user_, kNow, kExpires);
  ASSERT_TRUE(cached_->Find(id).has_value());
  RevokeBehindItsBack(id);
  EXPECT_FALSE(cached_->Find(id)->revoked()) << "the second Find went to the store";
}

TEST_P(CachedSessionRepositoryTest, RotateAndRevokeAreSeenAtOnce) {
  const std::int64_t id = cached_->Create(user_, kNow, kExpires);
  ASSERT_EQ(cached_->Find(id)->generation, 1);
  ASSERT_TRUE(cached_->Rotate(id, 1, kNow + 1, kExpires + 1));
  EXPECT_EQ(cached_->Find(id)->generation, 2);
  EXPECT_FALSE(cached_->Rotate(id, 1, kNow + 2, kExpires + 2)) << "an old generation rotated";
  ASSERT_TRUE(cached_->Revoke(id, kNow + 3));
  EXPECT_TRUE(cached_->Find(id)->revoked());
}

TEST_P(CachedSessionRepositoryTest, APasswordChangeRevokesEveryCachedSession) {
  const std::int64_t first = cached_->Create(user_, kNow, kExpires);
  const std::int64_t second = cached_->Create(user_, kNow, kExpires);
  ASSERT_FALSE(cached_->Find(first)->revoked());
  ASSERT_FALSE(cached_->Find(second)->revoked());
  auto opened = cached_->ChangePassword(user_, "new hash", kNow + 1, kExpires);
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(cached_->Find(first)->revoked());
  EXPECT_TRUE(cached_->Find(second)->revoked());
  EXPECT_FALSE(cached_->Find(*opened)->revoked());
}

TEST_P(CachedSessionRepositoryTest, ASessionLookedUpBeforeItExistedIsFoundOnceCreated) {
  const std::int64_t next = cached_->Create(user_, kNow, kExpires) + 1;
  EXPECT_FALSE(cached_->Find(next).has_value());  // cached as absent
  EXPECT_EQ(cached_->Create(user_, kNow, kExpires), next);
  EXPECT_TRUE(cached_->Find(next).has_value());
}

INSTANTIATE_TEST_SUITE_P(Engines, CachedSessionRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::user
