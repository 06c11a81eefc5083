#include "kit/http/auth/request_authenticator.hpp"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "kit/auth/password_hasher.hpp"

namespace reel::auth {
namespace {

using namespace std::chrono_literals;

// Users 1..9 exist; sessions in `revoked` are logged out. Counts the questions.
class FakeAccounts final : public AccountCheck {
 public:
  Status Check(std::int64_t user_id, std::int64_t session_id) override {
    ++questions;
    if (down) return Unavailable("DEPENDENCY_UNAVAILABLE", "user service down");
    if (user_id < 1 || user_id > 9) return Unauthenticated("TOKEN_INVALID", "no such user");
    if (revoked.count(session_id)) return Unauthenticated("TOKEN_REVOKED", "logged out");
    return Status::Ok();
  }
  int questions = 0;
  bool down = false;
  std::set<std::int64_t> revoked;
};

class RequestAuthenticatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitCrypto(); }

  http::Request Req(std::string method, const std::string& token) const {
    http::Request req;
    req.method = std::move(method);
    req.path = "/api/thing";
    req.headers.emplace_back("authorization", "Bearer " + token);
    return req;
  }
  std::string Token(std::int64_t user, std::int64_t session = 0) const {
    return signer_.Issue(user, TokenType::kAccess, TokenBinding{.session_id = session});
  }

  ManualClock clock_;
  TokenSigner signer_{TokenConfig{"0123456789abcdef0123456789abcdef", 1h, 24h}, clock_};
  FakeAccounts accounts_;
  CachedAccountCheck cached_{accounts_, clock_, 5s};
  RequestAuthenticator auth_{signer_};
};

TEST_F(RequestAuthenticatorTest, WithoutACheckAnyValidTokenWrites) {
  EXPECT_EQ(*auth_.Require(Req("POST", Token(42)), nullptr), 42);
}

TEST_F(RequestAuthenticatorTest, WritesByUnknownUsersAreRefusedReadsAreNotAsked) {
  auth_.CheckWritesWith(&cached_);
  EXPECT_EQ(*auth_.Require(Req("GET", Token(42)), nullptr), 42);
  EXPECT_EQ(*auth_.Require(Req("HEAD", Token(42)), nullptr), 42);
  EXPECT_EQ(accounts_.questions, 0);
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    auto refused = auth_.Require(Req(method, Token(42)), nullptr);
    EXPECT_EQ(refused.status().reason, "TOKEN_INVALID") << method;
    EXPECT_EQ(refused.status().code, Code::kUnauthenticated);
  }
  EXPECT_EQ(*auth_.Require(Req("POST", Token(7)), nullptr), 7);
}

TEST_F(RequestAuthenticatorTest, ABurstOfWritesAsksOnceUntilTheAnswerExpires) {
  auth_.CheckWritesWith(&cached_);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(auth_.Require(Req("POST", Token(7, 3)), nullptr).ok());
  EXPECT_EQ(accounts_.questions, 1);
  clock_.Advance(5s);
  ASSERT_TRUE(auth_.Require(Req("POST", Token(7, 3)), nullptr).ok());
  EXPECT_EQ(accounts_.questions, 2);
  // Another session of the same user is its own answer.
  ASSERT_TRUE(auth_.Require(Req("POST", Token(7, 4)), nullptr).ok());
  EXPECT_EQ(accounts_.questions, 3);
}

TEST_F(RequestAuthenticatorTest, RefusalsAreNeverRemembered) {
  auth_.CheckWritesWith(&cached_);
  // User 42 is unknown to FakeAccounts: each write asks again and is refused again.
  EXPECT_EQ(auth_.Require(Req("POST", Token(42)), nullptr).status().reason, "TOKEN_INVALID");
  EXPECT_EQ(auth_.Require(Req("POST", Token(42)), nullptr).status().reason, "TOKEN_INVALID");
  EXPECT_EQ(accounts_.questions, 2);
  EXPECT_EQ(cached_.Size(), 0u);
}

TEST_F(RequestAuthenticatorTest, ARevokedSessionWritesUntilForgottenOrExpiredThenNot) {
  auth_.CheckWritesWith(&cached_);
  ASSERT_TRUE(auth_.Require(Req("POST", Token(7, 3)), nullptr).ok());
  ASSERT_TRUE(auth_.Require(Req("POST", Token(8, 5)), nullptr).ok());
  accounts_.revoked.insert(3);
  auth_.Forget(7);  // the logout happened in this process
  EXPECT_EQ(auth_.Require(Req("POST", Token(7, 3)), nullptr).status().reason, "TOKEN_REVOKED");
  // Reads still pass until the access token expires: they are never asked about.
  EXPECT_TRUE(auth_.Require(Req("GET", Token(7, 3)), nullptr).ok());
  // Another user's answer stays.
  const int asked = accounts_.questions;
  ASSERT_TRUE(auth_.Require(Req("POST", Token(8, 5)), nullptr).ok());
  EXPECT_EQ(accounts_.questions, asked);
  // A logout elsewhere is seen once the answer expires.
  accounts_.revoked.insert(5);
  clock_.Advance(5s);
  EXPECT_EQ(auth_.Require(Req("POST", Token(8, 5)), nullptr).status().reason, "TOKEN_REVOKED");
}

TEST_F(RequestAuthenticatorTest, AnOwnerThatCannotBeAskedRefusesTheWrite) {
  auth_.CheckWritesWith(&cached_);
  accounts_.down = true;
  EXPECT_EQ(auth_.Require(Req("POST", Token(7)), nullptr).status().code, Code::kUnavailable);
  EXPECT_TRUE(auth_.Require(Req("GET", Token(7)), nullptr).ok());
}

TEST_F(RequestAuthenticatorTest, AZeroTtlAsksEveryTime) {
  CachedAccountCheck uncached(accounts_, clock_, 0s);
  auth_.CheckWritesWith(&uncached);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(auth_.Require(Req("POST", Token(7)), nullptr).ok());
  EXPECT_EQ(accounts_.questions, 3);
}

TEST_F(RequestAuthenticatorTest, TheCacheIsBounded) {
  CachedAccountCheck small(accounts_, clock_, 1h, 4);
  for (std::int64_t session = 1; session <= 10; ++session)
    ASSERT_TRUE(small.Check(7, session).ok());
  EXPECT_LE(small.Size(), 4u);
}

}  // namespace
}  // namespace reel::auth
