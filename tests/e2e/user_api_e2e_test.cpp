// JSON API user routes end to end: tokens, refresh, error reasons, and JWT checks proven by
// forging tokens with the server's own secret.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "harness.hpp"

namespace reel::e2e {
namespace {

constexpr std::string_view kRegister = "/api/user/register";
constexpr std::string_view kLogin = "/api/user/login";
constexpr std::string_view kRefresh = "/api/user/refresh";
constexpr std::string_view kUser = "/api/user";
constexpr std::string_view kSecret = "e2e-secret-that-is-long-enough-0123456789";
constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

std::string CredentialsJson(std::string_view name, std::string_view password) {
  return ToJson({{"username", std::string(name)}, {"password", std::string(password)}});
}

Pairs Bearer(std::string_view token) {
  return {{"Authorization", "Bearer " + std::string(token)}};
}

// Error bodies repeat the HTTP status as `code` and carry a stable reason and a message.
void ExpectError(const HttpResponse& response, long status, std::string_view reason) {
  SCOPED_TRACE(response.Describe());
  EXPECT_EQ(response.status, status);
  const rapidjson::Document doc = response.Json();
  EXPECT_EQ(JsonInt(doc, "code"), status);
  EXPECT_EQ(JsonString(doc, "reason"), std::string(reason));
  EXPECT_FALSE(JsonString(doc, "message").value_or("").empty());
}

// Checks a register/login/refresh answer and returns its tokens.
ApiSession ExpectTokenPair(const HttpResponse& response) {
  SCOPED_TRACE(response.Describe());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("content-type").rfind("application/json", 0), 0u);
  const rapidjson::Document doc = response.Json();
  const ApiSession session{JsonInt(doc, "user_id").value_or(0),
                           JsonString(doc, "access_token").value_or(""),
                           JsonString(doc, "refresh_token").value_or("")};
  EXPECT_GT(session.user_id, 0);
  EXPECT_LE(session.user_id, kMaxSafeId);
  EXPECT_FALSE(session.access_token.empty());
  EXPECT_FALSE(session.refresh_token.empty());
  EXPECT_EQ(JsonString(doc, "token_type"), "Bearer");
  EXPECT_GT(JsonInt(doc, "expires_in").value_or(0), 0);
  return session;
}

class ApiUserTest : public ServerTest {
 protected:
  HttpResponse Register(std::string_view name, std::string_view password) {
    return Client().PostJson(kRegister, CredentialsJson(name, password));
  }
  HttpResponse Login(std::string_view name, std::string_view password) {
    return Client().PostJson(kLogin, CredentialsJson(name, password));
  }
  HttpResponse Refresh(std::string_view refresh_token) {
    return Client().PostJson(kRefresh, ToJson({{"refresh_token", std::string(refresh_token)}}));
  }
  HttpResponse Me(std::string_view access_token) {
    return Client().Get(kUser, Bearer(access_token));
  }
  HttpResponse UserById(std::string_view id) {
    return Client().Get(WithQuery(kUser, {{"user_id", std::string(id)}}));
  }
};

TEST_F(ApiUserTest, RegisterIssuesAnAccessAndARefreshJwt) {
  const HttpResponse response = Register("alice", "password");
  const ApiSession session = ExpectTokenPair(response);
  const std::int64_t expires_in = JsonInt(response.Json(), "expires_in").value_or(0);
  const std::int64_t now = UnixNow();

  const rapidjson::Document header = JwtPart(session.access_token, 0);
  EXPECT_EQ(JsonString(header, "alg"), "HS256");
  EXPECT_EQ(JsonString(header, "typ"), "JWT");
  const rapidjson::Document access = JwtPart(session.access_token, 1);
  EXPECT_EQ(JsonString(access, "sub"), std::to_string(session.user_id));
  EXPECT_EQ(JsonString(access, "typ"), "access");
  const std::int64_t iat = JsonInt(access, "iat").value_or(0);
  const std::int64_t exp = JsonInt(access, "exp").value_or(0);
  EXPECT_NEAR(iat, now, 60);
  EXPECT_NEAR(exp - iat, expires_in, 1);

  const rapidjson::Document refresh = JwtPart(session.refresh_token, 1);
  EXPECT_EQ(JsonString(refresh, "sub"), std::to_string(session.user_id));
  EXPECT_EQ(JsonString(refresh, "typ"), "refresh");
  EXPECT_GT(JsonInt(refresh, "exp").value_or(0), exp);
}

TEST_F(ApiUserTest, LoginReturnsTheSameUserWithTokensThatWork) {
  const ApiSession registered = ExpectTokenPair(Register("bob", "password"));
  const ApiSession logged_in = ExpectTokenPair(Login("bob", "password"));
  EXPECT_EQ(logged_in.user_id, registered.user_id);
  const HttpResponse me = Me(logged_in.access_token);
  EXPECT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(JsonInt(me.Json(), "user.id"), registered.user_id);
  EXPECT_EQ(JsonString(me.Json(), "user.name"), "bob");
}

TEST_F(ApiUserTest, InvalidRegistrationsNameTheProblemAndCreateNothing) {
  ExpectError(Client().PostJson(kRegister, R"({"username":"carol"})"), 400, "PARAM_MISSING");
  ExpectError(Client().PostJson(kRegister, R"({"password":"password"})"), 400, "PARAM_MISSING");
  ExpectError(Register(std::string(33, 'c'), "password"), 400, "USERNAME_INVALID");
  ExpectError(Register("carol", "12345"), 400, "PASSWORD_INVALID");
  ExpectError(Register("carol", std::string(33, 'p')), 400, "PASSWORD_INVALID");
  const HttpResponse not_json = Client().PostJson(kRegister, "{\"username\": ");
  EXPECT_EQ(not_json.status, 400) << not_json.Describe();
  EXPECT_EQ(JsonInt(not_json.Json(), "code"), 400);
  ExpectTokenPair(Register("carol", "password"));
}

TEST_F(ApiUserTest, DuplicateUsernameIsTakenIgnoringCase) {
  const ApiSession dave = ExpectTokenPair(Register("Dave", "password"));
  ExpectError(Register("Dave", "other-password"), 409, "USERNAME_TAKEN");
  ExpectError(Register("dAVE", "other-password"), 409, "USERNAME_TAKEN");
  EXPECT_EQ(ExpectTokenPair(Login("Dave", "password")).user_id, dave.user_id);
}

TEST_F(ApiUserTest, WrongPasswordAndUnknownUserAreTheSameLoginFailure) {
  ExpectTokenPair(Register("erin", "password"));
  ExpectError(Login("erin", "not-the-password"), 401, "LOGIN_FAILED");
  ExpectError(Login("nobody", "password"), 401, "LOGIN_FAILED");
  ExpectError(Client().PostJson(kLogin, R"({"username":"erin"})"), 400, "PARAM_MISSING");
}

TEST_F(ApiUserTest, RefreshIssuesAWorkingPairOnlyForRefreshTokens) {
  const ApiSession session = ExpectTokenPair(Register("fay", "password"));
  const ApiSession refreshed = ExpectTokenPair(Refresh(session.refresh_token));
  EXPECT_EQ(refreshed.user_id, session.user_id);
  EXPECT_EQ(JsonString(JwtPart(refreshed.refresh_token, 1), "typ"), "refresh");
  const HttpResponse me = Me(refreshed.access_token);
  EXPECT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(JsonInt(me.Json(), "user.id"), session.user_id);

  const HttpResponse with_access = Refresh(session.access_token);
  EXPECT_EQ(with_access.status, 401) << with_access.Describe();
  ExpectError(Refresh("not-a-token"), 401, "TOKEN_INVALID");
  ExpectError(Client().PostJson(kRefresh, "{}"), 400, "PARAM_MISSING");
}

TEST_F(ApiUserTest, UserLookupByIdOrByBearer) {
  const ApiSession gus = ExpectTokenPair(Register("gus", "password"));
  const HttpResponse by_id = UserById(std::to_string(gus.user_id));
  EXPECT_EQ(by_id.status, 200) << by_id.Describe();
  const rapidjson::Document doc = by_id.Json();
  EXPECT_EQ(JsonInt(doc, "user.id"), gus.user_id);
  EXPECT_EQ(JsonString(doc, "user.name"), "gus");
  EXPECT_EQ(JsonInt(doc, "user.follower_count"), 0);
  EXPECT_EQ(JsonBool(doc, "user.is_follow"), false);
  EXPECT_TRUE(JsonString(doc, "user.signature").has_value());

  EXPECT_EQ(JsonInt(Me(gus.access_token).Json(), "user.id"), gus.user_id);
  ExpectError(UserById(std::to_string(gus.user_id + 1000)), 404, "USER_NOT_FOUND");
  ExpectError(UserById("abc"), 400, "PARAM_INVALID");
  ExpectError(UserById("9007199254740992"), 400, "PARAM_INVALID");
  ExpectError(Client().Get(kUser), 401, "TOKEN_MISSING");
  ExpectError(Me("not-a-token"), 401, "TOKEN_INVALID");
  const HttpResponse refresh_as_bearer = Me(gus.refresh_token);
  EXPECT_EQ(refresh_as_bearer.status, 401) << refresh_as_bearer.Describe();
}

// The server's secret is known here, so tests can forge tokens: one it must accept proves the
// refusals below come from real checks and not from rejecting everything unfamiliar.
class ApiJwtTest : public ApiUserTest {
 protected:
  ServerOptions Options() const override {
    return {.env = {{"REEL_AUTH_JWT_SECRET", std::string(kSecret)}}};
  }
  void SetUp() override {
    ApiUserTest::SetUp();
    if (HasFatalFailure()) return;
    const ApiSession hana = ExpectTokenPair(Register("hana", "password"));
    user_id_ = hana.user_id;
    // A forged refresh token is good only for the session and generation the server
    // issued: take them from the genuine one.
    const rapidjson::Document claims = JwtPart(hana.refresh_token, 1);
    session_claims_ = R"(,"sid":)" + std::to_string(JsonInt(claims, "sid").value_or(0)) +
                      R"(,"gen":)" + std::to_string(JsonInt(claims, "gen").value_or(0));
    other_id_ = ExpectTokenPair(Register("ivan", "password")).user_id;
  }
  static std::string Payload(std::int64_t sub, std::string_view typ, std::int64_t exp) {
    std::string json = R"({"sub":")" + std::to_string(sub) + R"(","iat":)" +
                       std::to_string(UnixNow()) + R"(,"exp":)" + std::to_string(exp);
    if (!typ.empty()) json += R"(,"typ":")" + std::string(typ) + "\"";
    return json + "}";
  }
  std::string Forge(std::string_view typ = "access") const {
    return MakeJwt(kHs256Header, Payload(user_id_, typ, UnixNow() + 600), kSecret);
  }
  std::string ForgeRefreshOfTheSession() const {
    std::string payload = Payload(user_id_, "refresh", UnixNow() + 600);
    payload.insert(payload.size() - 1, session_claims_);
    return MakeJwt(kHs256Header, payload, kSecret);
  }
  // Both APIs must refuse `token`; Douyin even when the user id is given.
  void ExpectRefused(const std::string& token, std::string_view reason) {
    SCOPED_TRACE(token);
    ExpectError(Me(token), 401, reason);
    const HttpResponse douyin = Client().Get(
        WithQuery("/douyin/user/", {{"user_id", std::to_string(user_id_)}, {"token", token}}));
    EXPECT_EQ(DouyinStatusCode(douyin), 401) << douyin.Describe();
    EXPECT_EQ(JsonAt(douyin.Json(), "user"), nullptr);
  }

  std::int64_t user_id_ = 0;
  std::int64_t other_id_ = 0;
  std::string session_claims_;  // ,"sid":…,"gen":… of hana's session
};

TEST_F(ApiJwtTest, TokenForgedWithTheServerSecretIsAccepted) {
  const std::string token = Forge();
  const HttpResponse me = Me(token);
  EXPECT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(JsonInt(me.Json(), "user.id"), user_id_);
  const HttpResponse douyin = Client().Get(WithQuery("/douyin/user/", {{"token", token}}));
  EXPECT_EQ(DouyinStatusCode(douyin), 0) << douyin.Describe();
  EXPECT_EQ(JsonInt(douyin.Json(), "user.id"), user_id_);
  const HttpResponse refreshed = Refresh(ForgeRefreshOfTheSession());
  EXPECT_EQ(refreshed.status, 200) << refreshed.Describe();
  // One without a session (as issued before sessions existed) is not.
  ExpectError(Refresh(Forge("refresh")), 401, "TOKEN_INVALID");
}

TEST_F(ApiJwtTest, UnsignedOrWronglySignedTokensAreInvalid) {
  const std::string payload = Payload(user_id_, "access", UnixNow() + 600);
  const std::string unsigned_token =
      Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + Base64UrlEncode(payload) + ".";
  ExpectRefused(unsigned_token, "TOKEN_INVALID");
  ExpectRefused(MakeJwt(kHs256Header, payload, "another-secret-also-long-enough-0123456789"),
                "TOKEN_INVALID");
  // The algorithm is pinned: a header naming another one is refused even when the MAC
  // matches what it names.
  ExpectRefused(MakeJwt(R"({"alg":"HS512","typ":"JWT"})", payload, kSecret, JwtMac::kHs512),
                "TOKEN_INVALID");
  ExpectRefused(MakeJwt(R"({"alg":"HS384","typ":"JWT"})", payload, kSecret), "TOKEN_INVALID");
}

TEST_F(ApiJwtTest, TamperedPayloadIsInvalid) {
  const std::string genuine = Forge();
  // Keep header and signature, swap in a payload naming another user.
  const std::size_t first_dot = genuine.find('.');
  const std::size_t last_dot = genuine.rfind('.');
  const std::string tampered = genuine.substr(0, first_dot + 1) +
                               Base64UrlEncode(Payload(other_id_, "access", UnixNow() + 600)) +
                               genuine.substr(last_dot);
  ExpectRefused(tampered, "TOKEN_INVALID");
}

TEST_F(ApiJwtTest, TokensWithTheWrongTypeAreInvalid) {
  ExpectRefused(Forge(""), "TOKEN_INVALID");
  ExpectRefused(Forge("refresh"), "TOKEN_INVALID");
}

TEST_F(ApiJwtTest, ExpiredTokenIsReportedAsExpired) {
  ExpectRefused(MakeJwt(kHs256Header, Payload(user_id_, "access", UnixNow() - 60), kSecret),
                "TOKEN_EXPIRED");
}

// Polls `probe` until it answers 401 (bounded); tokens expire on whole seconds.
HttpResponse WaitFor401(const std::function<HttpResponse()>& probe) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  HttpResponse response = probe();
  while (response.status != 401 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    response = probe();
  }
  return response;
}

TEST(ApiTokenTtlTest, AccessTokenExpiresAfterItsTtlWhileRefreshStillWorks) {
  ReelServer server({.env = {{"REEL_AUTH_ACCESS_TTL", "2s"}}});
  ASSERT_TRUE(server.Start());
  HttpClient client(server.Port());
  const HttpResponse registered = client.PostJson(kRegister, CredentialsJson("jill", "password"));
  const ApiSession session = ExpectTokenPair(registered);
  EXPECT_EQ(JsonInt(registered.Json(), "expires_in"), 2);
  EXPECT_EQ(client.Get(kUser, Bearer(session.access_token)).status, 200);

  ExpectError(WaitFor401([&] { return client.Get(kUser, Bearer(session.access_token)); }), 401,
              "TOKEN_EXPIRED");
  const ApiSession refreshed = ExpectTokenPair(
      client.PostJson(kRefresh, ToJson({{"refresh_token", session.refresh_token}})));
  EXPECT_EQ(client.Get(kUser, Bearer(refreshed.access_token)).status, 200);
}

TEST(ApiTokenTtlTest, RefreshTokenExpiresAfterItsTtl) {
  // A refresh token works once (each use answers the next one), so polling it would keep
  // the session alive; instead both tokens get the same life, and once the access token
  // (polled) has expired the refresh token, issued in the same second, has too.
  ReelServer server({.env = {{"REEL_AUTH_ACCESS_TTL", "2s"}, {"REEL_AUTH_REFRESH_TTL", "2s"}}});
  ASSERT_TRUE(server.Start());
  HttpClient client(server.Port());
  const ApiSession session = RegisterApi(client, "kim", "password");
  ExpectError(WaitFor401([&] { return client.Get(kUser, Bearer(session.access_token)); }), 401,
              "TOKEN_EXPIRED");
  ExpectError(client.PostJson(kRefresh, ToJson({{"refresh_token", session.refresh_token}})), 401,
              "TOKEN_EXPIRED");
}

}  // namespace
}  // namespace reel::e2e
