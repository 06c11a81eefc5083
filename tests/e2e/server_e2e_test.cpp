// Server-wide behaviour end to end: command line, configuration errors, health, request ids,
// CORS, rate limits, body limit, access logs, graceful stop, secret persistence, concurrency.
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <functional>
#include <latch>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "harness.hpp"

namespace reel::e2e {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr std::string_view kDouyinLogin = "/douyin/user/login/";

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

TEST(CommandLineTest, VersionIsPrinted) {
  const ProcessResult run = RunReel({"--version"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find_first_of("0123456789"), std::string::npos) << run.out;
}

TEST(CommandLineTest, HelpListsTheSubcommands) {
  const ProcessResult run = RunReel({"--help"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  for (const char* subcommand : {"all", "serve", "migrate"}) {
    EXPECT_TRUE(Contains(run.out, subcommand)) << subcommand << " missing from:\n" << run.out;
  }
}

TEST(CommandLineTest, MigrateCreatesTheDatabase) {
  const TempDir dir;
  const ProcessResult run = RunReel({"migrate", "--data-dir", dir.Path().string()});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(std::filesystem::exists(dir.Path() / "reel.db"));
}

struct BadSetting {
  const char* variable;
  const char* value;
  const char* named_in_error;
};

void PrintTo(const BadSetting& setting, std::ostream* out) {
  *out << setting.variable << "=" << setting.value;
}

std::string SettingName(const ::testing::TestParamInfo<BadSetting>& info) {
  return std::string(info.param.variable).substr(5);  // without "REEL_"
}

class ConfigErrorTest : public ::testing::TestWithParam<BadSetting> {};

TEST_P(ConfigErrorTest, StopsStartupNamingTheKey) {
  const TempDir dir;
  const ProcessResult run =
      RunReel({"all", "--host", "127.0.0.1", "--port", std::to_string(PickFreePort()), "--data-dir",
               dir.Path().string()},
              {{GetParam().variable, GetParam().value}});
  ASSERT_TRUE(run.exit_code.has_value()) << "still running after 10 s; stderr:\n" << run.err;
  EXPECT_NE(*run.exit_code, 0);
  EXPECT_TRUE(Contains(run.err, GetParam().named_in_error)) << run.err;
}

INSTANTIATE_TEST_SUITE_P(
    Env, ConfigErrorTest,
    ::testing::Values(BadSetting{"REEL_HTTP_PORT", "abc", "http.port"},
                      BadSetting{"REEL_AUTH_ACCESS_TTL", "soon", "auth.access_ttl"},
                      BadSetting{"REEL_NOPE", "1", "REEL_NOPE"},
                      BadSetting{"REEL_RATE_LIMIT_ENABLED", "maybe", "rate_limit.enabled"},
                      BadSetting{"REEL_LOG_FORMAT", "xml", "log.format"}),
    SettingName);

using ServerBasicsTest = ServerTest;

TEST_F(ServerBasicsTest, HealthAndReadinessAnswer200) {
  EXPECT_EQ(Client().Get("/healthz").status, 200);
  EXPECT_EQ(Client().Get("/readyz").status, 200);
}

TEST_F(ServerBasicsTest, EveryResponseCarriesItsOwnRequestId) {
  const HttpResponse responses[] = {Client().Get("/healthz"), Client().Get("/healthz"),
                                    Client().Get("/no/such/route"),
                                    Client().PostForm(kDouyinLogin, {})};
  std::set<std::string> ids;
  for (const HttpResponse& response : responses) {
    EXPECT_FALSE(response.Header("x-request-id").empty()) << response.Describe();
    ids.insert(response.Header("x-request-id"));
  }
  EXPECT_EQ(ids.size(), std::size(responses));
  const HttpResponse echoed = Client().Get("/healthz", {{"X-Request-Id", "e2e-request-42"}});
  EXPECT_EQ(echoed.Header("x-request-id"), "e2e-request-42");
}

// Other unknown GET paths belong to the web client (its pages route on the client); unknown
// /douyin paths answer in the Douyin shape (security_http_e2e_test.cpp).
TEST_F(ServerBasicsTest, UnknownRouteIs404WithAJsonError) {
  for (const char* path : {"/api/no-such-thing", "/media/x/y"}) {
    const HttpResponse response = Client().Get(path);
    SCOPED_TRACE(response.Describe());
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(JsonInt(response.Json(), "code"), 404);
    EXPECT_EQ(ApiReason(response), "ROUTE_NOT_FOUND");
    EXPECT_FALSE(JsonString(response.Json(), "message").value_or("").empty());
  }
}

HttpResponse Preflight(HttpClient& client, std::string_view origin) {
  return client.Request("OPTIONS", kDouyinLogin, {}, {},
                        {{"Origin", std::string(origin)},
                         {"Access-Control-Request-Method", "POST"},
                         {"Access-Control-Request-Headers", "token, authorization"}});
}

TEST_F(ServerBasicsTest, CorsPreflightAllowsWhatTheWebClientSends) {
  const HttpResponse response = Preflight(Client(), "http://example.test");
  SCOPED_TRACE(response.Describe());
  EXPECT_EQ(response.status, 204);
  const std::string origin = response.Header("access-control-allow-origin");
  EXPECT_TRUE(origin == "http://example.test" || origin == "*") << origin;
  EXPECT_TRUE(Contains(Lower(response.Header("access-control-allow-methods")), "post"));
  const std::string headers = Lower(response.Header("access-control-allow-headers"));
  EXPECT_TRUE(Contains(headers, "token")) << headers;
  EXPECT_TRUE(Contains(headers, "authorization")) << headers;
}

TEST(CorsOriginsTest, OnlyConfiguredOriginsAreAllowed) {
  ReelServer server({.env = {{"REEL_HTTP_CORS_ORIGINS", "http://a.test"}}});
  ASSERT_TRUE(server.Start());
  HttpClient client(server.Port());
  EXPECT_EQ(Preflight(client, "http://a.test").Header("access-control-allow-origin"),
            "http://a.test");
  const HttpResponse refused = Preflight(client, "http://b.test");
  EXPECT_EQ(refused.Header("access-control-allow-origin"), "") << refused.Describe();
}

// Sends up to `max` requests back to back and stops after the first one `limited` accepts.
std::vector<HttpResponse> SendUntilLimited(
    int max, const std::function<HttpResponse()>& send,
    const std::function<bool(const HttpResponse&)>& limited) {
  std::vector<HttpResponse> responses;
  while (static_cast<int>(responses.size()) < max) {
    responses.push_back(send());
    if (limited(responses.back())) break;
  }
  return responses;
}

// With a burst of 3 at 1 token/s, the 4th quick request is refused; a few more are allowed for
// a slow machine where a token refills meanwhile.
class RateLimitTest : public ServerTest {
 protected:
  ServerOptions Options() const override {
    return {.env = {{"REEL_RATE_LIMIT_DEFAULT_IP_RATE", "1"},
                    {"REEL_RATE_LIMIT_DEFAULT_IP_BURST", "3"}}};
  }
};

TEST_F(RateLimitTest, DouyinSaysTooManyRequestsInTheBody) {
  const auto responses = SendUntilLimited(
      8, [&] { return Client().Get("/douyin/user/?user_id=1"); },
      [](const HttpResponse& r) { return DouyinStatusCode(r) == 429; });
  ASSERT_GE(responses.size(), 4u) << "limited too early: " << responses.back().Describe();
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(DouyinStatusCode(responses[i]), 404) << i;
  const HttpResponse& limited = responses.back();
  ASSERT_EQ(DouyinStatusCode(limited), 429) << limited.Describe();
  EXPECT_EQ(limited.status, 200);
  const std::string message = Lower(JsonString(limited.Json(), "status_msg").value_or(""));
  EXPECT_TRUE(Contains(message, "rate") || Contains(message, "too many")) << message;
  // Probes must keep working for an IP that is limited.
  for (int i = 0; i < 20; ++i) ASSERT_EQ(Client().Get("/healthz").status, 200) << i;
}

TEST_F(RateLimitTest, ApiAnswers429WithRetryAfter) {
  const auto responses = SendUntilLimited(
      8, [&] { return Client().Get("/api/user?user_id=1"); },
      [](const HttpResponse& r) { return r.status == 429; });
  ASSERT_GE(responses.size(), 4u) << "limited too early: " << responses.back().Describe();
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(ApiReason(responses[i]), "USER_NOT_FOUND") << i;
  const HttpResponse& limited = responses.back();
  ASSERT_EQ(limited.status, 429) << limited.Describe();
  EXPECT_EQ(ApiReason(limited), "RATE_LIMITED");
  EXPECT_EQ(JsonInt(limited.Json(), "code"), 429);
  const std::string retry_after = limited.Header("retry-after");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_TRUE(std::all_of(retry_after.begin(), retry_after.end(), [](unsigned char c) {
    return std::isdigit(c) != 0;
  })) << retry_after;
  EXPECT_GT(std::stoll(retry_after), 0);
}

TEST(RateLimitSwitchTest, DisabledLimiterRefusesNothing) {
  ReelServer server({.env = {{"REEL_RATE_LIMIT_ENABLED", "false"},
                             {"REEL_RATE_LIMIT_DEFAULT_IP_RATE", "1"},
                             {"REEL_RATE_LIMIT_DEFAULT_IP_BURST", "1"}}});
  ASSERT_TRUE(server.Start());
  HttpClient client(server.Port());
  for (int i = 0; i < 10; ++i) {
    const HttpResponse response = client.Get("/api/user?user_id=1");
    ASSERT_EQ(response.status, 404) << i << ": " << response.Describe();
  }
}

TEST_F(ServerBasicsTest, DefaultLimitsLetAQuickBurstThrough) {
  const DouyinSession session = RegisterDouyin(Client(), "busy", "password");
  ASSERT_GT(session.user_id, 0);
  const std::string path = WithQuery(
      "/douyin/user/", {{"user_id", std::to_string(session.user_id)}, {"token", session.token}});
  for (int i = 0; i < 200; ++i) {
    const HttpResponse response = Client().Get(path);
    ASSERT_EQ(DouyinStatusCode(response), 0) << "request " << i << ": " << response.Describe();
  }
}

// With replicas (the e2e-engines run) the edge alternates the user service's two processes:
// the throttle holds only because they count failures in one set of buckets, in Redis.
TEST(FailedLoginTest, RepeatedWrongPasswordsThrottleThatUsernameOnly) {
  ReelServer server({.env = {{"REEL_RATE_LIMIT_FAILED_LOGIN_BURST", "3"},
                             {"REEL_RATE_LIMIT_FAILED_LOGIN_RATE", "0.01"}}});
  ASSERT_TRUE(server.Start());
  HttpClient client(server.Port());
  ASSERT_GT(RegisterApi(client, "alice", "password").user_id, 0);
  ASSERT_GT(RegisterApi(client, "bob", "password").user_id, 0);
  const auto login = [&](const char* name, const char* password) {
    return client.PostJson("/api/user/login", ToJson({{"username", name}, {"password", password}}));
  };
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(ApiReason(login("alice", "wrong-password")), "LOGIN_FAILED");
  const HttpResponse throttled = login("alice", "password");
  EXPECT_EQ(throttled.status, 429) << throttled.Describe();
  EXPECT_EQ(ApiReason(throttled), "LOGIN_THROTTLED");
  const HttpResponse douyin =
      client.PostForm(kDouyinLogin, {{"username", "alice"}, {"password", "password"}});
  EXPECT_EQ(DouyinStatusCode(douyin), 429) << douyin.Describe();
  EXPECT_EQ(login("bob", "password").status, 200);
}

TEST(BodyLimitTest, OversizedBodyIsRefusedAndChangesNothing) {
  ReelServer server({.env = {{"REEL_HTTP_MAX_BODY_BYTES", "4096"}}});
  ASSERT_TRUE(server.Start());
  // Valid JSON padded with whitespace, so only its size can be the reason to refuse it.
  const std::string padded =
      R"({"username":"big",)" + std::string(64 * 1024, ' ') + R"("password":"password"})";
  HttpClient oversized(server.Port());
  const HttpResponse refused = oversized.PostJson("/api/user/register", padded);
  EXPECT_NE(refused.status, 200) << refused.Describe();
  HttpClient client(server.Port());
  EXPECT_GT(RegisterApi(client, "big", "password").user_id, 0);
}

// Access-log lines (JSON with a latency) that mention `request_id`.
std::vector<std::string> AccessLogLines(const std::string& log, std::string_view request_id) {
  std::vector<std::string> found;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (!Contains(line, "request_id") || !Contains(line, request_id)) continue;
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    if (!doc.HasParseError() && JsonAt(doc, "latency_ms") != nullptr) found.push_back(line);
  }
  return found;
}

TEST_F(ServerBasicsTest, EachRequestIsLoggedAsOneJsonLine) {
  const std::string id = "e2e-log-probe-7f3a";
  ASSERT_EQ(Client().Get("/douyin/user/?user_id=1", {{"X-Request-Id", id}}).status, 200);
  // The line may be written just after the response goes out.
  const auto deadline = steady_clock::now() + seconds(3);
  std::vector<std::string> lines = AccessLogLines(Server().Log(), id);
  while (lines.empty() && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
    lines = AccessLogLines(Server().Log(), id);
  }
  ASSERT_EQ(lines.size(), 1u) << Server().LogTail();
  rapidjson::Document doc;
  doc.Parse(lines[0].c_str());
  EXPECT_EQ(JsonString(doc, "method"), "GET") << lines[0];
  EXPECT_TRUE(Contains(JsonString(doc, "route").value_or(""), "/douyin/user")) << lines[0];
  EXPECT_EQ(JsonInt(doc, "status"), 200) << lines[0];
  EXPECT_GE(JsonNumber(doc, "latency_ms").value_or(-1), 0) << lines[0];
  EXPECT_EQ(JsonString(doc, "request_id"), id) << lines[0];
}

TEST(GracefulStopTest, InFlightRequestCompletesAndTheProcessExitsZero) {
  // Real-cost hashing makes a login slow enough to still be running when SIGTERM arrives.
  ReelServer server(
      {.env = {{"REEL_AUTH_ARGON2_MEMORY_KIB", "262144"}, {"REEL_AUTH_ARGON2_OPS", "4"}}});
  ASSERT_TRUE(server.Start());
  HttpClient client(server.Port());
  ASSERT_GT(RegisterDouyin(client, "slow", "password").user_id, 0);

  HttpResponse login;
  steady_clock::time_point answered;
  std::thread request([&] {
    HttpClient own(server.Port());
    login = own.PostForm(kDouyinLogin, {{"username", "slow"}, {"password", "password"}});
    answered = steady_clock::now();
  });
  std::this_thread::sleep_for(milliseconds(50));
  const steady_clock::time_point signalled = steady_clock::now();
  EXPECT_TRUE(server.Signal(SIGTERM));
  request.join();
  EXPECT_TRUE(answered > signalled) << "login finished before SIGTERM; the test proves nothing";
  EXPECT_EQ(DouyinStatusCode(login), 0) << login.Describe();
  EXPECT_EQ(server.WaitExit(seconds(10)), 0);
}

TEST(SecretPersistenceTest, TokensSurviveARestartOnTheSameDataDir) {
  const TempDir data;
  DouyinSession session;
  {
    ReelServer first({.data_dir = data.Path()});
    ASSERT_TRUE(first.Start());
    HttpClient client(first.Port());
    session = RegisterDouyin(client, "keeper", "password");
    ASSERT_GT(session.user_id, 0);
    EXPECT_EQ(first.Stop(), 0);
  }
  const std::filesystem::path secret = data.Path() / "jwt.secret";
  ASSERT_TRUE(std::filesystem::exists(secret));
  const auto mode = std::filesystem::status(secret).permissions() & std::filesystem::perms::all;
  EXPECT_EQ(static_cast<unsigned>(mode), 0600u) << "jwt.secret must be private to its owner";

  ReelServer second({.data_dir = data.Path()});
  ASSERT_TRUE(second.Start());
  HttpClient client(second.Port());
  const HttpResponse info = client.Get(WithQuery("/douyin/user/", {{"token", session.token}}));
  EXPECT_EQ(DouyinStatusCode(info), 0) << info.Describe();
  EXPECT_EQ(JsonInt(info.Json(), "user.id"), session.user_id);
}

// Many registrations from one IP: limits are off so only the store's behaviour is measured.
ServerOptions Unlimited() {
  return {.env = {{"REEL_RATE_LIMIT_ENABLED", "false"}}};
}
constexpr int kThreads = 8;

TEST(ConcurrencyTest, ParallelRegistrationsAllSucceedWithDistinctIds) {
  ReelServer server(Unlimited());
  ASSERT_TRUE(server.Start());
  constexpr int kPerThread = 25;
  std::vector<std::vector<std::int64_t>> ids(kThreads);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(server.Port());
      for (int i = 0; i < kPerThread; ++i) {
        const std::string name = "user" + std::to_string(t) + "_" + std::to_string(i);
        const HttpResponse response = client.PostForm(
            "/douyin/user/register/", {{"username", name}, {"password", "password"}});
        if (DouyinStatusCode(response) != 0) {
          failures[t] = name + ": " + response.Describe();
          return;
        }
        ids[t].push_back(JsonInt(response.Json(), "user_id").value_or(0));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::int64_t> distinct;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], "") << "thread " << t;
    for (const std::int64_t id : ids[t]) {
      EXPECT_GT(id, 0);
      distinct.insert(id);
    }
  }
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(ConcurrencyTest, ParallelRegistrationsOfOneNameHaveExactlyOneWinner) {
  ReelServer server(Unlimited());
  ASSERT_TRUE(server.Start());
  std::vector<std::int64_t> codes(kThreads, -1);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(server.Port());
      start.arrive_and_wait();
      const HttpResponse response = client.PostForm(
          "/douyin/user/register/", {{"username", "contested"}, {"password", "password"}});
      codes[t] = DouyinStatusCode(response).value_or(-1);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), 0), 1);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), 409), kThreads - 1);
}

}  // namespace
}  // namespace reel::e2e
