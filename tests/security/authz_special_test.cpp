// The routes outside the matrix's mould: POST /api/user/refresh, whose credential is a refresh
// token in the body, and the routes listed as public, which must serve anyone whatever token
// comes along.
#include <gtest/gtest.h>

#include <memory>

#include "authz_cases.hpp"

namespace reel::security {
namespace {

constexpr std::string_view kRefresh = "/api/user/refresh";

class AuthzSpecial : public e2e::ServerTest {
 protected:
  e2e::ServerOptions Options() const override {
    e2e::ServerOptions options = e2e::KnownSecretOptions();
    options.env["REEL_RATE_LIMIT_ENABLED"] = "false";
    return options;
  }
  void SetUp() override {
    e2e::ServerTest::SetUp();
    if (HasFatalFailure()) return;
    world_ = std::make_unique<AuthzWorld>(Server(), Client(), media_);
    ASSERT_TRUE(world_->Build()) << "the world could not be built";
  }
  e2e::HttpResponse Refresh(const std::string& token) {
    return world_->Api("POST", kRefresh, e2e::ToJson({{"refresh_token", token}}), "");
  }

  e2e::MediaFixtures media_;
  std::unique_ptr<AuthzWorld> world_;
};

TEST_F(AuthzSpecial, RefreshTakesOnlyAGenuineRefreshToken) {
  AuthzWorld& w = *world_;
  for (const Caller caller : {Caller::kExpired, Caller::kBadSignature, Caller::kAlgNone,
                              Caller::kHs512, Caller::kTamperedSub, Caller::kRefreshAsAccess}) {
    SCOPED_TRACE(CallerName(caller));
    ApiRefused(Refresh(w.Token(caller, "refresh")), 401, RefusalReason(caller));
  }
  // A refresh token names its session; one of an account that is gone (or never was) names
  // none.
  ApiRefused(Refresh(w.Token(Caller::kUnknownUser, "refresh")), 401, "TOKEN_INVALID");
  ApiRefused(w.Api("POST", kRefresh, "{}", ""), 400, "PARAM_MISSING");
  // Only the body counts: a refresh token in the Authorization header is not one.
  ApiRefused(w.Api("POST", kRefresh, "{}", w.alice.refresh_token), 400, "PARAM_MISSING");

  // mallory's refresh token makes a session for mallory, alice's for alice.
  const rapidjson::Document other = ApiOk(Refresh(w.Token(Caller::kOther, "refresh")));
  EXPECT_EQ(e2e::JsonInt(other, "user_id"), w.mallory.user_id);
  const rapidjson::Document owner = ApiOk(Refresh(w.Token(Caller::kOwner, "refresh")));
  EXPECT_EQ(e2e::JsonInt(owner, "user_id"), w.alice.user_id);
  const std::string access = e2e::JsonString(owner, "access_token").value_or("");
  EXPECT_EQ(e2e::JsonInt(ApiOk(w.ApiGet("/api/user", {}, access)), "user.id"), w.alice.user_id);
}

// Logout ends the caller's own session, whoever names it; only a genuine access token (or a
// refresh token in the body) says which.
TEST_F(AuthzSpecial, LogoutEndsOnlyTheCallersOwnSession) {
  AuthzWorld& w = *world_;
  for (const Caller caller : kRefusedCallers) {
    SCOPED_TRACE(CallerName(caller));
    ApiRefused(w.Api("POST", "/api/user/logout", "{}", w.Token(caller)), 401,
               RefusalReason(caller));
  }
  // mallory logging out leaves alice signed in.
  const e2e::HttpResponse other = w.Api("POST", "/api/user/logout", "{}", w.Token(Caller::kOther));
  EXPECT_LT(other.status, 300) << other.Describe();
  ApiOk(w.ApiGet("/api/user", {}, w.Token(Caller::kOwner)));
  ApiOk(Refresh(w.Token(Caller::kOwner, "refresh")));
}

// A password change needs the account's own token and its current password; anything else
// changes nothing (the old password still signs in).
TEST_F(AuthzSpecial, PasswordChangeNeedsTheOwnersTokenAndPassword) {
  AuthzWorld& w = *world_;
  const std::string change =
      e2e::ToJson({{"old_password", "password"}, {"new_password", "another password 1"}});
  for (const Caller caller : kRefusedCallers) {
    SCOPED_TRACE(CallerName(caller));
    ApiRefused(w.Api("POST", "/api/user/password", change, w.Token(caller)), 401,
               RefusalReason(caller));
  }
  // mallory's token with alice's password is a wrong password for mallory.
  const std::string wrong =
      e2e::ToJson({{"old_password", "not mallorys"}, {"new_password", "another password 1"}});
  EXPECT_GE(w.Api("POST", "/api/user/password", wrong, w.Token(Caller::kOther)).status, 400);
  const std::string login = e2e::ToJson({{"username", "alice"}, {"password", "password"}});
  ApiOk(w.Api("POST", "/api/user/login", login, ""));
  // alice changes hers: the old one no longer signs in.
  ApiOk(w.Api("POST", "/api/user/password", change, w.Token(Caller::kOwner)));
  ApiRefused(w.Api("POST", "/api/user/login", login, ""), 401, "LOGIN_FAILED");
}

TEST_F(AuthzSpecial, PublicRoutesServeAnyoneWhateverTokenComes) {
  AuthzWorld& w = *world_;
  const std::string cover = e2e::LastSegment(
      e2e::JsonString(ApiOk(w.ApiGet("/api/video/" + std::to_string(w.video), {}, "")),
                      "video.cover_url")
          .value_or(""));
  int registered = 0;
  for (const PublicRoute& route : PublicRoutes()) {
    SCOPED_TRACE(route.route.Name());
    for (const Caller caller : {Caller::kNone, Caller::kBadSignature, Caller::kOther}) {
      SCOPED_TRACE(CallerName(caller));
      const std::string token = w.Token(caller);
      const std::string& path = route.route.pattern;
      e2e::HttpResponse response;
      if (path == "/media/{key}") {
        response = w.Api("GET", "/media/" + cover, {}, token);
      } else if (path.ends_with("/register") || path.ends_with("/login")) {
        // A new name for each registration; alice logs in. Neither looks at a token.
        const std::string name =
            path.ends_with("/register") ? "public" + std::to_string(++registered) : "alice";
        const e2e::Pairs fields = {{"username", name}, {"password", "password"}};
        response = path.starts_with("/douyin") ? w.Douyin("POST", path, fields, token)
                                               : w.Api("POST", path, e2e::ToJson(fields), token);
      } else if (const auto at = path.find("{id}"); at != std::string::npos) {
        std::string named = path;
        named.replace(at, 4, std::to_string(w.alice.user_id));
        response = w.Api("GET", named, {}, token);
      } else {
        response = w.Api("GET", path, {}, token);
      }
      if (path.starts_with("/douyin")) {
        DouyinOk(response);
      } else {
        EXPECT_EQ(response.status, 200) << response.Describe();
      }
    }
  }
}

}  // namespace
}  // namespace reel::security
