#include "user/domain/user_service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "user/store/sqlite_user_repository.hpp"
#include "user/store/user_migrations.hpp"

namespace reel::user {
namespace {

using namespace std::chrono_literals;

class UserServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { auth::InitCrypto(); }
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_user_service_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "u.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "user", UserSqliteMigrations()).ok());
    repo_ = std::make_unique<SqliteUserRepository>(*db_);
    service_ = std::make_unique<UserService>(*repo_, hasher_, signer_, failed_logins_, clock_);
  }
  void TearDown() override {
    service_.reset();
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  ManualClock clock_;
  auth::PasswordHasher hasher_{auth::Argon2Params{.ops = 1, .memory_kib = 8 * 1024}};
  auth::TokenSigner signer_{auth::TokenConfig{std::string(32, 'k'), 1h, 24h}, clock_};
  limits::KeyedRateLimiter failed_logins_{limits::Rate{.rate = 0.1, .burst = 3}, clock_};
  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqliteUserRepository> repo_;
  std::unique_ptr<UserService> service_;
};

TEST_F(UserServiceTest, RegisterIssuesWorkingTokens) {
  auto session = service_->Register("alice", "secret1");
  ASSERT_TRUE(session.ok()) << session.status().message;
  auto access = signer_.Verify(session->access_token, auth::TokenType::kAccess);
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->user_id, session->user_id);
  EXPECT_EQ(session->access_expires_in_seconds, 3600);
  EXPECT_TRUE(signer_.Verify(session->refresh_token, auth::TokenType::kRefresh).ok());
}

TEST_F(UserServiceTest, RefusedRegistrationsChangeNothing) {
  ASSERT_TRUE(service_->Register("alice", "secret1").ok());
  EXPECT_EQ(service_->Register("ALICE", "another1").status().reason, "USERNAME_TAKEN");
  EXPECT_EQ(service_->Register("bob", "short").status().reason, "PASSWORD_INVALID");
  EXPECT_EQ(service_->Register("", "secret1").status().reason, "USERNAME_INVALID");
  EXPECT_TRUE(service_->Login("alice", "secret1").ok());   // password unchanged
  EXPECT_TRUE(service_->Register("bob", "secret1").ok());  // name stayed free
}

TEST_F(UserServiceTest, LoginFailuresLookAlike) {
  ASSERT_TRUE(service_->Register("alice", "secret1").ok());
  auto wrong_password = service_->Login("alice", "secret2");
  auto unknown_user = service_->Login("nobody", "secret1");
  EXPECT_EQ(wrong_password.status().reason, "LOGIN_FAILED");
  EXPECT_EQ(unknown_user.status().reason, "LOGIN_FAILED");
  EXPECT_EQ(wrong_password.status().message, unknown_user.status().message);
}

TEST_F(UserServiceTest, RepeatedFailuresThrottleThatUsernameOnly) {
  ASSERT_TRUE(service_->Register("alice", "secret1").ok());
  ASSERT_TRUE(service_->Register("bob", "secret1").ok());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(service_->Login("alice", "wrong!").status().reason, "LOGIN_FAILED");
  auto throttled = service_->Login("Alice", "secret1");  // even the right password, any case
  EXPECT_EQ(throttled.status().reason, "LOGIN_THROTTLED");
  EXPECT_GT(throttled.status().retry_after.count(), 0);
  EXPECT_TRUE(service_->Login("bob", "secret1").ok());
  clock_.Advance(10s);  // one token back at 0.1/s
  EXPECT_TRUE(service_->Login("alice", "secret1").ok());
}

TEST_F(UserServiceTest, RefreshNeedsARefreshTokenOfAnExistingUser) {
  auto session = service_->Register("alice", "secret1");
  ASSERT_TRUE(session.ok());
  clock_.Advance(2s);
  auto refreshed = service_->Refresh(session->refresh_token);
  ASSERT_TRUE(refreshed.ok());
  EXPECT_EQ(refreshed->user_id, session->user_id);
  EXPECT_NE(refreshed->access_token, session->access_token);
  EXPECT_EQ(service_->Refresh(session->access_token).status().reason, "TOKEN_INVALID");
  clock_.Advance(25h);
  EXPECT_EQ(service_->Refresh(session->refresh_token).status().reason, "TOKEN_EXPIRED");
  auto ghost = service_->Refresh(signer_.Issue(12345, auth::TokenType::kRefresh));
  EXPECT_EQ(ghost.status().reason, "USER_NOT_FOUND");
}

TEST_F(UserServiceTest, GetAndBatchGetKeepRequestOrder) {
  const auto a = service_->Register("a", "secret1")->user_id;
  const auto b = service_->Register("b", "secret1")->user_id;
  EXPECT_EQ(service_->GetUser(a)->name, "a");
  EXPECT_EQ(service_->GetUser(999).status().reason, "USER_NOT_FOUND");
  const std::int64_t ids[] = {b, 999, a, b};
  auto users = service_->BatchGetUsers(ids);
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(users[0].id, b);
  EXPECT_EQ(users[1].id, a);
  EXPECT_EQ(users[2].id, b);
}

}  // namespace
}  // namespace reel::user
