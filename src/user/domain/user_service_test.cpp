#include "user/domain/user_service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "user/store/sqlite_user_repository.hpp"
#include "user/store/user_migrations.hpp"

namespace reel::user {
namespace {

using namespace std::chrono_literals;

// Keeps what the service publishes.
class RecordingSink final : public events::EventSink {
 public:
  void Publish(const events::v1::Event& event) override { events.push_back(event); }
  std::vector<events::v1::Event> events;
};

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
    service_ =
        std::make_unique<UserService>(*repo_, hasher_, signer_, failed_logins_, clock_, events_);
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
  RecordingSink events_;
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

const std::string kAvatarKey = std::string(64, 'a') + ".jpg";
const std::string kBackgroundKey = std::string(64, 'b') + ".jpg";

TEST_F(UserServiceTest, UpdateProfileChangesOnlyWhatIsGiven) {
  const auto id = service_->Register("alice", "secret1")->user_id;
  auto updated = service_->UpdateProfile(id, {.signature = "hello"});
  ASSERT_TRUE(updated.ok()) << updated.status().message;
  EXPECT_EQ(updated->name, "alice");
  EXPECT_EQ(updated->signature, "hello");
  EXPECT_EQ(updated->avatar, "");

  updated =
      service_->UpdateProfile(id, {.avatar_key = kAvatarKey, .background_key = kBackgroundKey});
  ASSERT_TRUE(updated.ok()) << updated.status().message;
  EXPECT_EQ(updated->signature, "hello");
  EXPECT_EQ(updated->avatar, kAvatarKey);
  EXPECT_EQ(updated->background_image, kBackgroundKey);
  const User stored = *service_->GetUser(id);
  EXPECT_EQ(stored.avatar, kAvatarKey);
  EXPECT_EQ(stored.background_image, kBackgroundKey);
  EXPECT_EQ(stored.signature, "hello");

  EXPECT_EQ(service_->UpdateProfile(id, {.signature = ""})->signature, "");  // cleared
}

TEST_F(UserServiceTest, RenameMovesTheLoginName) {
  const auto id = service_->Register("alice", "secret1")->user_id;
  auto renamed = service_->UpdateProfile(id, {.name = "Alicia"});
  ASSERT_TRUE(renamed.ok()) << renamed.status().message;
  EXPECT_EQ(renamed->name, "Alicia");
  EXPECT_EQ(service_->GetUser(id)->name, "Alicia");
  auto login = service_->Login("alicia", "secret1");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->user_id, id);
  EXPECT_EQ(service_->Login("alice", "secret1").status().reason, "LOGIN_FAILED");
  // The old name is free again; a change of case alone is the same user's own name.
  EXPECT_TRUE(service_->Register("alice", "secret2").ok());
  EXPECT_EQ(service_->UpdateProfile(id, {.name = "ALICIA"})->name, "ALICIA");
}

TEST_F(UserServiceTest, RenameOntoATakenNameChangesNothing) {
  const auto alice = service_->Register("alice", "secret1")->user_id;
  ASSERT_TRUE(service_->Register("Bob", "secret1").ok());
  ASSERT_TRUE(service_->UpdateProfile(alice, {.signature = "before"}).ok());
  auto taken = service_->UpdateProfile(
      alice, {.name = "bob", .signature = "after", .avatar_key = kAvatarKey});
  EXPECT_EQ(taken.status().code, Code::kAlreadyExists);
  EXPECT_EQ(taken.status().reason, "USERNAME_TAKEN");
  const User unchanged = *service_->GetUser(alice);
  EXPECT_EQ(unchanged.name, "alice");
  EXPECT_EQ(unchanged.signature, "before");  // the valid parts were not applied either
  EXPECT_EQ(unchanged.avatar, "");
  EXPECT_TRUE(service_->Login("alice", "secret1").ok());
}

TEST_F(UserServiceTest, InvalidUpdatesAreRefusedWhole) {
  const auto id = service_->Register("alice", "secret1")->user_id;
  EXPECT_EQ(service_->UpdateProfile(id, {}).status().reason, "PARAM_MISSING");
  EXPECT_EQ(service_->UpdateProfile(id, {.name = "new", .signature = std::string(201, 's')})
                .status()
                .reason,
            "SIGNATURE_INVALID");
  EXPECT_EQ(service_->UpdateProfile(id, {.name = "", .signature = "ok"}).status().reason,
            "USERNAME_INVALID");
  EXPECT_EQ(service_->UpdateProfile(id, {.signature = "ok", .avatar_key = "x.png"}).status().reason,
            "IMAGE_INVALID");
  const User unchanged = *service_->GetUser(id);
  EXPECT_EQ(unchanged.name, "alice");
  EXPECT_EQ(unchanged.signature, "");
  EXPECT_EQ(service_->UpdateProfile(id + 100, {.signature = "x"}).status().reason,
            "USER_NOT_FOUND");
}

TEST_F(UserServiceTest, CheckProfileUpdateRefusesAsTheUpdateWouldAndChangesNothing) {
  const auto alice = service_->Register("alice", "secret1")->user_id;
  ASSERT_TRUE(service_->Register("bob", "secret1").ok());
  const std::size_t published = events_.events.size();
  EXPECT_TRUE(service_->CheckProfileUpdate(alice, {.name = "carol", .signature = "hi"}).ok());
  EXPECT_TRUE(service_->CheckProfileUpdate(alice, {.name = "ALICE"}).ok());  // her own name
  EXPECT_EQ(service_->CheckProfileUpdate(alice, {.name = "Bob"}).reason, "USERNAME_TAKEN");
  EXPECT_EQ(service_->CheckProfileUpdate(alice, {.signature = "a\tb"}).reason, "SIGNATURE_INVALID");
  EXPECT_EQ(service_->CheckProfileUpdate(alice, {}).reason, "PARAM_MISSING");
  EXPECT_EQ(service_->CheckProfileUpdate(alice + 100, {.signature = "x"}).reason, "USER_NOT_FOUND");
  const User unchanged = *service_->GetUser(alice);
  EXPECT_EQ(unchanged.name, "alice");
  EXPECT_EQ(unchanged.signature, "");
  EXPECT_EQ(events_.events.size(), published);
}

TEST_F(UserServiceTest, ListUserIdsPagesThroughEveryoneOnce) {
  std::vector<std::int64_t> registered;
  for (int i = 0; i < 5; ++i) {
    registered.push_back(service_->Register("u" + std::to_string(i), "secret1")->user_id);
  }
  std::vector<std::int64_t> seen;
  std::int64_t after = 0;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = service_->ListUserIds(after, 2);
    ASSERT_TRUE(page.ok());
    EXPECT_LE(page->user_ids.size(), 2u);
    seen.insert(seen.end(), page->user_ids.begin(), page->user_ids.end());
    if (page->next_after_id == 0) break;
    after = page->next_after_id;
  }
  EXPECT_EQ(seen, registered);
  auto exact = service_->ListUserIds(0, 5);  // a full last page says it is the last
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->user_ids.size(), 5u);
  EXPECT_EQ(exact->next_after_id, 0);
  EXPECT_EQ(service_->ListUserIds(0, 0)->user_ids.size(), 5u);  // default page size
  EXPECT_EQ(service_->ListUserIds(0, -1).status().reason, "PARAM_INVALID");
  EXPECT_EQ(service_->ListUserIds(0, 1001).status().reason, "PARAM_INVALID");
}

TEST_F(UserServiceTest, CommittedChangesArePublished) {
  clock_.Advance(5s);
  const auto id = service_->Register("alice", "secret1")->user_id;
  ASSERT_EQ(events_.events.size(), 1u);
  EXPECT_EQ(events_.events[0].kind(), events::v1::USER_REGISTERED);
  EXPECT_EQ(events_.events[0].subject_id(), id);
  EXPECT_EQ(events_.events[0].actor_id(), id);
  EXPECT_EQ(events_.events[0].at_ms(),
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
                .count());

  ASSERT_TRUE(service_->UpdateProfile(id, {.signature = "hi"}).ok());
  ASSERT_EQ(events_.events.size(), 2u);
  EXPECT_EQ(events_.events[1].kind(), events::v1::USER_UPDATED);
  EXPECT_EQ(events_.events[1].subject_id(), id);
  EXPECT_EQ(events_.events[1].actor_id(), id);

  // Refusals publish nothing.
  ASSERT_TRUE(service_->Register("bob", "secret1").ok());
  ASSERT_EQ(events_.events.size(), 3u);
  EXPECT_FALSE(service_->Register("bob", "secret1").ok());
  EXPECT_FALSE(service_->UpdateProfile(id, {.name = "BOB"}).ok());
  EXPECT_FALSE(service_->UpdateProfile(id, {}).ok());
  EXPECT_FALSE(service_->UpdateProfile(id + 100, {.signature = "x"}).ok());
  EXPECT_EQ(events_.events.size(), 3u);
}

}  // namespace
}  // namespace reel::user
