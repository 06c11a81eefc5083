// A UserService on a temp SQLite store with a manual clock, for the domain's tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kit/db/sqlite.hpp"
#include "kit/events/testing/outbox_recorder.hpp"
#include "user/domain/user_service.hpp"
#include "user/store/sql_session_repository.hpp"
#include "user/store/sql_user_repository.hpp"
#include "user/store/user_migrations.hpp"

namespace reel::user::testing {

class UserServiceFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { auth::InitCrypto(); }
  void SetUp() override {
    using namespace std::chrono_literals;
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_user_service_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "u.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "user", UserMigrations()).ok());
    events_ = std::make_unique<events::testing::OutboxRecorder>(*db_, clock_);
    repo_ = std::make_unique<SqlUserRepository>(*db_, &events_->outbox());
    sessions_ = std::make_unique<SqlSessionRepository>(*db_);
    service_ = std::make_unique<UserService>(*repo_, *sessions_, hasher_, signer_, throttle_,
                                             clock_, *events_);
  }
  void TearDown() override {
    service_.reset();
    sessions_.reset();
    repo_.reset();
    events_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  /// A login from `address`, with `device_token` when given.
  Result<Session> Login(std::string_view name, std::string_view password,
                        std::string_view address = "192.0.2.1",
                        std::string_view device_token = {}) {
    return service_->Login({name, password, address, device_token});
  }

  ManualClock clock_;
  auth::PasswordHasher hasher_{auth::Argon2Params{.ops = 1, .memory_kib = 8 * 1024}};
  auth::TokenSigner signer_{
      auth::TokenConfig{std::string(32, 'k'), std::chrono::hours(1), std::chrono::hours(24)},
      clock_};
  /// Small buckets so tests reach them: 3 per (name, address), 6 per address, 8 per name,
  /// 3 per (name, device); every bucket refills one per 10 s.
  LoginThrottle throttle_{
      LoginThrottleConfig{
          .name_and_address = {0.1, 3}, .address = {0.1, 6}, .name = {0.1, 8}, .device = {0.1, 3}},
      clock_};
  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  /// What the store recorded in its outbox.
  std::unique_ptr<events::testing::OutboxRecorder> events_;
  std::unique_ptr<SqlUserRepository> repo_;
  std::unique_ptr<SqlSessionRepository> sessions_;
  std::unique_ptr<UserService> service_;
};

}  // namespace reel::user::testing
