#include "user/domain/user_service.hpp"

#include <gtest/gtest.h>

#include "user/domain/testing/user_service_fixture.hpp"

namespace reel::user {
namespace {

class UserServiceTest : public testing::UserServiceFixture {};

using namespace std::chrono_literals;

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
  EXPECT_TRUE(Login("alice", "secret1").ok());             // password unchanged
  EXPECT_TRUE(service_->Register("bob", "secret1").ok());  // name stayed free
}

TEST_F(UserServiceTest, LoginFailuresLookAlike) {
  ASSERT_TRUE(service_->Register("alice", "secret1").ok());
  auto wrong_password = Login("alice", "secret2");
  auto unknown_user = Login("nobody", "secret1");
  EXPECT_EQ(wrong_password.status().reason, "LOGIN_FAILED");
  EXPECT_EQ(unknown_user.status().reason, "LOGIN_FAILED");
  EXPECT_EQ(wrong_password.status().message, unknown_user.status().message);
}

TEST_F(UserServiceTest, RepeatedFailuresThrottleThatUsernameAtThatAddressOnly) {
  ASSERT_TRUE(service_->Register("alice", "secret1").ok());
  ASSERT_TRUE(service_->Register("bob", "secret1").ok());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Login("alice", "wrong!", "192.0.2.66").status().reason, "LOGIN_FAILED");
  // Even the right password, in any case, from that address.
  auto throttled = Login("Alice", "secret1", "192.0.2.66");
  EXPECT_EQ(throttled.status().reason, "LOGIN_THROTTLED");
  EXPECT_EQ(throttled.status().code, Code::kResourceExhausted);
  EXPECT_GT(throttled.status().retry_after.count(), 0);
  EXPECT_TRUE(Login("bob", "secret1", "192.0.2.66").ok());
  EXPECT_TRUE(Login("alice", "secret1", "198.51.100.7").ok());  // the owner, elsewhere
  clock_.Advance(10s);                                          // one token back at 0.1/s
  EXPECT_TRUE(Login("alice", "secret1", "192.0.2.66").ok());
}

TEST_F(UserServiceTest, AHiddenUserIsFoundOnlyByThemselvesOrWithAllStates) {
  const auto a = service_->Register("a", "secret1")->user_id;
  const auto b = service_->Register("b", "secret1")->user_id;
  EXPECT_EQ(service_->GetUser(a, {.viewer_id = b})->role, "user");
  ASSERT_TRUE(service_->SetHidden(a, true).ok());
  EXPECT_EQ(service_->GetUser(a, {.viewer_id = b}).status().reason, "USER_NOT_FOUND");
  EXPECT_EQ(service_->GetUser(a, {}).status().reason, "USER_NOT_FOUND");
  EXPECT_TRUE(service_->GetUser(a, {.viewer_id = a})->hidden);
  EXPECT_TRUE(service_->GetUser(a, {.viewer_id = b, .all_states = true}).ok());
  const std::int64_t ids[] = {a, b};
  EXPECT_EQ(service_->BatchGetUsers(ids, {.viewer_id = b}).size(), 1u);
  EXPECT_EQ(service_->BatchGetUsers(ids, {.viewer_id = a}).size(), 2u);
  ASSERT_TRUE(service_->SetHidden(a, false).ok());
  EXPECT_EQ(service_->BatchGetUsers(ids, {.viewer_id = b}).size(), 2u);
  EXPECT_EQ(service_->SetHidden(999, true).status().reason, "USER_NOT_FOUND");
}

TEST_F(UserServiceTest, RolesAreUserOrModerator) {
  const auto a = service_->Register("a", "secret1")->user_id;
  EXPECT_EQ(service_->SetRole(a, "admin").status().reason, "ROLE_INVALID");
  EXPECT_EQ(service_->GetUser(a)->role, "user");
  EXPECT_EQ(service_->SetRole(a, "moderator")->role, "moderator");
  EXPECT_EQ(service_->GetUser(a)->role, "moderator");
  EXPECT_EQ(service_->SetRole(999, "user").status().reason, "USER_NOT_FOUND");
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
  auto login = Login("alicia", "secret1");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->user_id, id);
  EXPECT_EQ(Login("alice", "secret1").status().reason, "LOGIN_FAILED");
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
  EXPECT_TRUE(Login("alice", "secret1").ok());
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
  const std::size_t published = events_->Events().size();
  EXPECT_TRUE(service_->CheckProfileUpdate(alice, {.name = "carol", .signature = "hi"}).ok());
  EXPECT_TRUE(service_->CheckProfileUpdate(alice, {.name = "ALICE"}).ok());  // her own name
  EXPECT_EQ(service_->CheckProfileUpdate(alice, {.name = "Bob"}).reason, "USERNAME_TAKEN");
  EXPECT_EQ(service_->CheckProfileUpdate(alice, {.signature = "a\tb"}).reason, "SIGNATURE_INVALID");
  EXPECT_EQ(service_->CheckProfileUpdate(alice, {}).reason, "PARAM_MISSING");
  EXPECT_EQ(service_->CheckProfileUpdate(alice + 100, {.signature = "x"}).reason, "USER_NOT_FOUND");
  const User unchanged = *service_->GetUser(alice);
  EXPECT_EQ(unchanged.name, "alice");
  EXPECT_EQ(unchanged.signature, "");
  EXPECT_EQ(events_->Events().size(), published);
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
  ASSERT_EQ(events_->Events().size(), 1u);
  EXPECT_EQ(events_->Events()[0].kind, events::EventKind::kUserRegistered);
  EXPECT_EQ(events_->Events()[0].subject_id, id);
  EXPECT_EQ(events_->Events()[0].actor_id, id);
  EXPECT_EQ(events_->Events()[0].at_ms,
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
                .count());

  ASSERT_TRUE(service_->UpdateProfile(id, {.signature = "hi"}).ok());
  ASSERT_EQ(events_->Events().size(), 2u);
  EXPECT_EQ(events_->Events()[1].kind, events::EventKind::kUserUpdated);
  EXPECT_EQ(events_->Events()[1].subject_id, id);
  EXPECT_EQ(events_->Events()[1].actor_id, id);

  // Refusals publish nothing.
  ASSERT_TRUE(service_->Register("bob", "secret1").ok());
  ASSERT_EQ(events_->Events().size(), 3u);
  EXPECT_EQ(service_->Register("bob", "secret1").status().reason, "USERNAME_TAKEN");
  EXPECT_EQ(service_->UpdateProfile(id, {.name = "BOB"}).status().reason, "USERNAME_TAKEN");
  EXPECT_EQ(service_->UpdateProfile(id, {}).status().reason, "PARAM_MISSING");
  EXPECT_EQ(service_->UpdateProfile(id + 100, {.signature = "x"}).status().reason,
            "USER_NOT_FOUND");
  EXPECT_EQ(events_->Events().size(), 3u);
}

}  // namespace
}  // namespace reel::user
