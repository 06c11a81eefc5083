// Sessions through the user service: device tokens at login, refresh-token rotation with
// reuse detection, logout, password changes, and the check writes make.
#include <gtest/gtest.h>

#include "user/domain/testing/user_service_fixture.hpp"

namespace reel::user {
namespace {

using namespace std::chrono_literals;

class SessionTest : public testing::UserServiceFixture {
 protected:
  void SetUp() override {
    UserServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    auto registered = service_->Register("alice", "secret1");
    ASSERT_TRUE(registered.ok()) << registered.status().message;
    alice_ = *registered;
  }
  auth::TokenClaims Claims(const std::string& token, auth::TokenType type) {
    auto claims = signer_.Verify(token, type);
    EXPECT_TRUE(claims.ok()) << claims.status().message;
    return claims.ok() ? *claims : auth::TokenClaims{};
  }
  std::int64_t SessionOf(const Session& session) {
    return Claims(session.access_token, auth::TokenType::kAccess).binding.session_id;
  }

  Session alice_;
};

TEST_F(SessionTest, TokensNameTheirSessionAndLoginsGiveADeviceToken) {
  const auto access = Claims(alice_.access_token, auth::TokenType::kAccess);
  const auto refresh = Claims(alice_.refresh_token, auth::TokenType::kRefresh);
  EXPECT_GT(access.binding.session_id, 0);
  EXPECT_EQ(refresh.binding.session_id, access.binding.session_id);
  EXPECT_EQ(refresh.binding.generation, 1);
  EXPECT_EQ(Claims(alice_.device_token, auth::TokenType::kDevice).user_id, alice_.user_id);

  auto login = Login("alice", "secret1");
  ASSERT_TRUE(login.ok());
  EXPECT_NE(SessionOf(*login), access.binding.session_id);  // every sign-in its own session
  EXPECT_EQ(Claims(login->device_token, auth::TokenType::kDevice).user_id, alice_.user_id);
}

TEST_F(SessionTest, AGuesserAtOneAddressNeverStopsTheOwnerElsewhereOrWithADeviceToken) {
  // The guesser hammers from A far past every per-address and per-name limit (bounded).
  for (int i = 0; i < 100; ++i) {
    const auto reason = Login("alice", "wrong-" + std::to_string(i), "203.0.113.9").status().reason;
    ASSERT_TRUE(reason == "LOGIN_FAILED" || reason == "LOGIN_THROTTLED") << reason;
    if (i % 10 == 9) {
      // The owner, from B and from A with the device token of an earlier login, gets in
      // every time; without the device token the owner at A is throttled with the guesser.
      auto from_b = Login("alice", "secret1", "198.51.100.4", alice_.device_token);
      ASSERT_TRUE(from_b.ok()) << i << ": " << from_b.status().message;
      auto from_a = Login("alice", "secret1", "203.0.113.9", from_b->device_token);
      ASSERT_TRUE(from_a.ok()) << i << ": " << from_a.status().message;
      EXPECT_EQ(Login("alice", "secret1", "203.0.113.9").status().reason, "LOGIN_THROTTLED");
    }
    clock_.Advance(500ms);  // one guess every half second, as in the report
  }
}

TEST_F(SessionTest, GuessersAtManyAddressesMeetTheNameCeilingButNotTheOwnersDevice) {
  for (int address = 0; address < 40; ++address) {
    (void)Login("alice", "wrong!!", "10.0.0." + std::to_string(address));
  }
  EXPECT_EQ(Login("alice", "secret1", "198.51.100.4").status().reason, "LOGIN_THROTTLED");
  EXPECT_TRUE(Login("alice", "secret1", "198.51.100.4", alice_.device_token).ok());
}

TEST_F(SessionTest, ADeviceTokenOfAnotherUserOrForgedIsIgnored) {
  auto bob = service_->Register("bob", "secret1");
  ASSERT_TRUE(bob.ok());
  for (int address = 0; address < 40; ++address) {
    (void)Login("alice", "wrong!!", "10.0.0." + std::to_string(address));
  }
  EXPECT_EQ(Login("alice", "secret1", "198.51.100.4", bob->device_token).status().reason,
            "LOGIN_THROTTLED");
  EXPECT_EQ(Login("alice", "secret1", "198.51.100.4", alice_.access_token).status().reason,
            "LOGIN_THROTTLED");
  EXPECT_EQ(Login("alice", "secret1", "198.51.100.4", "junk").status().reason, "LOGIN_THROTTLED");
  // A device token's own failures stop only that device.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Login("alice", "wrong!!", "198.51.100.4", alice_.device_token).status().reason,
              "LOGIN_FAILED");
  }
  EXPECT_EQ(Login("alice", "secret1", "198.51.100.4", alice_.device_token).status().reason,
            "LOGIN_THROTTLED");
}

TEST_F(SessionTest, RefreshRotatesAndAReusedTokenRevokesTheWholeSession) {
  clock_.Advance(2s);
  auto second = service_->Refresh(alice_.refresh_token);
  ASSERT_TRUE(second.ok()) << second.status().message;
  EXPECT_EQ(SessionOf(*second), SessionOf(alice_));
  EXPECT_EQ(Claims(second->refresh_token, auth::TokenType::kRefresh).binding.generation, 2);
  EXPECT_TRUE(second->device_token.empty());
  auto third = service_->Refresh(second->refresh_token);
  ASSERT_TRUE(third.ok()) << third.status().message;

  // The first token again: someone kept a copy. Nobody may go on with this session.
  auto reused = service_->Refresh(alice_.refresh_token);
  EXPECT_EQ(reused.status().reason, "TOKEN_REUSED");
  EXPECT_EQ(reused.status().code, Code::kUnauthenticated);
  EXPECT_EQ(service_->Refresh(third->refresh_token).status().reason, "TOKEN_REVOKED");
  EXPECT_EQ(service_->CheckSession(alice_.user_id, SessionOf(*third)).reason, "TOKEN_REVOKED");
  // Other sessions of the user live on.
  auto other = Login("alice", "secret1");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(service_->CheckSession(alice_.user_id, SessionOf(*other)).ok());
  EXPECT_TRUE(service_->Refresh(other->refresh_token).ok());
}

TEST_F(SessionTest, TheSameTokenTwiceIsAReuseEvenBackToBack) {
  ASSERT_TRUE(service_->Refresh(alice_.refresh_token).ok());
  EXPECT_EQ(service_->Refresh(alice_.refresh_token).status().reason, "TOKEN_REUSED");
}

TEST_F(SessionTest, RefreshRefusesWhatIsNotTheCurrentTokenOfALiveSessionOfAnExistingUser) {
  EXPECT_EQ(service_->Refresh(alice_.access_token).status().reason, "TOKEN_INVALID");
  EXPECT_EQ(service_->Refresh(alice_.device_token).status().reason, "TOKEN_INVALID");
  // From before sessions: no sid, no gen.
  EXPECT_EQ(
      service_->Refresh(signer_.Issue(alice_.user_id, auth::TokenType::kRefresh)).status().reason,
      "TOKEN_INVALID");
  // Another user's session, or a generation not yet issued.
  const std::int64_t sid = SessionOf(alice_);
  EXPECT_EQ(service_
                ->Refresh(signer_.Issue(alice_.user_id + 1, auth::TokenType::kRefresh,
                                        {.session_id = sid, .generation = 1}))
                .status()
                .reason,
            "TOKEN_INVALID");
  EXPECT_EQ(service_
                ->Refresh(signer_.Issue(alice_.user_id, auth::TokenType::kRefresh,
                                        {.session_id = sid, .generation = 7}))
                .status()
                .reason,
            "TOKEN_INVALID");
  clock_.Advance(25h);
  EXPECT_EQ(service_->Refresh(alice_.refresh_token).status().reason, "TOKEN_EXPIRED");
}

TEST_F(SessionTest, LogoutEndsOneSessionByEitherToken) {
  auto phone = Login("alice", "secret1");
  ASSERT_TRUE(phone.ok());
  auto out = service_->Logout(alice_.access_token, {});
  ASSERT_TRUE(out.ok()) << out.status().message;
  EXPECT_EQ(out->user_id, alice_.user_id);
  EXPECT_TRUE(out->revoked);
  EXPECT_EQ(service_->Refresh(alice_.refresh_token).status().reason, "TOKEN_REVOKED");
  EXPECT_EQ(service_->CheckSession(alice_.user_id, SessionOf(alice_)).reason, "TOKEN_REVOKED");
  EXPECT_FALSE(service_->Logout(alice_.access_token, {})->revoked);  // already ended: no error

  // By refresh token (what a client with an expired access token still has).
  clock_.Advance(2h);
  ASSERT_EQ(service_->Logout(phone->access_token, {}).status().reason, "TOKEN_EXPIRED");
  out = service_->Logout({}, phone->refresh_token);
  ASSERT_TRUE(out.ok()) << out.status().message;
  EXPECT_TRUE(out->revoked);
  EXPECT_EQ(service_->Refresh(phone->refresh_token).status().reason, "TOKEN_REVOKED");

  EXPECT_EQ(service_->Logout({}, {}).status().reason, "TOKEN_MISSING");
  EXPECT_EQ(
      service_->Logout(signer_.Issue(alice_.user_id, auth::TokenType::kAccess), {}).status().reason,
      "TOKEN_INVALID");
}

TEST_F(SessionTest, APasswordChangeEndsEverySessionAndOpensANewOne) {
  auto phone = Login("alice", "secret1");
  ASSERT_TRUE(phone.ok());
  auto changed = service_->ChangePassword(alice_.user_id, "secret1", "new-secret", "192.0.2.1");
  ASSERT_TRUE(changed.ok()) << changed.status().message;
  for (const Session* old : {&alice_, &*phone}) {
    EXPECT_EQ(service_->CheckSession(alice_.user_id, SessionOf(*old)).reason, "TOKEN_REVOKED");
    EXPECT_EQ(service_->Refresh(old->refresh_token).status().reason, "TOKEN_REVOKED");
  }
  EXPECT_TRUE(service_->CheckSession(alice_.user_id, SessionOf(*changed)).ok());
  EXPECT_TRUE(service_->Refresh(changed->refresh_token).ok());
  EXPECT_EQ(Login("alice", "secret1").status().reason, "LOGIN_FAILED");
  EXPECT_TRUE(Login("alice", "new-secret").ok());
}

TEST_F(SessionTest, ARefusedPasswordChangeChangesNothingAndWrongOnesAreThrottled) {
  EXPECT_EQ(
      service_->ChangePassword(alice_.user_id, "secret1", "short", "192.0.2.1").status().reason,
      "PASSWORD_INVALID");
  EXPECT_EQ(service_->ChangePassword(424242, "secret1", "new-secret", "192.0.2.1").status().reason,
            "USER_NOT_FOUND");
  for (int i = 0; i < 3; ++i) {
    auto wrong = service_->ChangePassword(alice_.user_id, "guess" + std::to_string(i), "new-secret",
                                          "192.0.2.1");
    EXPECT_EQ(wrong.status().reason, "PASSWORD_INCORRECT");
    EXPECT_EQ(wrong.status().code, Code::kPermissionDenied);
  }
  EXPECT_EQ(service_->ChangePassword(alice_.user_id, "secret1", "new-secret", "192.0.2.1")
                .status()
                .reason,
            "LOGIN_THROTTLED");
  EXPECT_TRUE(service_->CheckSession(alice_.user_id, SessionOf(alice_)).ok());
  EXPECT_TRUE(Login("alice", "secret1", "198.51.100.4").ok());
}

TEST_F(SessionTest, CheckSessionKnowsUsersAndTheirSessions) {
  EXPECT_TRUE(service_->CheckSession(alice_.user_id, SessionOf(alice_)).ok());
  EXPECT_TRUE(service_->CheckSession(alice_.user_id, 0).ok());  // a token from before sessions
  EXPECT_EQ(service_->CheckSession(424242, 0).reason, "TOKEN_INVALID");
  auto bob = service_->Register("bob", "secret1");
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(service_->CheckSession(bob->user_id, SessionOf(alice_)).reason, "TOKEN_INVALID");
  EXPECT_EQ(service_->CheckSession(alice_.user_id, 987654).reason, "TOKEN_INVALID");
}

}  // namespace
}  // namespace reel::user
