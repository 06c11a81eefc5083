// The server on a real socket (127.0.0.1): what runs where.
#include "kit/http/server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kit/http/health_routes.hpp"
#include "kit/http/middleware/middleware.hpp"

namespace reel::http {
namespace {

// A connection speaking raw bytes; reads give up after 10 s, so a server that does not
// answer fails the test instead of hanging it.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{.tv_sec = 10, .tv_usec = 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (port > 0) Connect(port);
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool Connect(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    return connected_;
  }
  bool Send(std::string_view bytes) {
    return connected_ && ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
                             static_cast<ssize_t>(bytes.size());
  }
  /// Everything until the server closes or goes quiet.
  std::string Answer() {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, 0)) > 0;) out.append(buf, n);
    return out;
  }
  /// What arrives until `marker` has (or the server closes, or goes quiet).
  std::string AnswerUntil(std::string_view marker) {
    std::string out;
    char buf[4096];
    while (out.find(marker) == std::string::npos) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, n);
    }
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

// One request on its own connection: sent now, answer read later (or never).
class RawRequest {
 public:
  RawRequest(int port, const std::string& path, const std::string& headers = {})
      : connection_(port) {
    sent_ = connection_.Send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                             "Connection: close\r\n\r\n");
  }
  bool sent() const { return sent_; }
  std::string Answer() { return connection_.Answer(); }

 private:
  RawConnection connection_;
  bool sent_ = false;
};

// A server on 127.0.0.1 and a free port, run on its own thread until the test ends.
class RunningServer {
 public:
  RunningServer(HttpConfig config, Router router, std::vector<Middleware> middleware = {})
      : server_(std::move(config), std::move(router), std::move(middleware), readiness_) {
    server_.Start();
    runner_ = std::thread([this] { server_.Run(); });
  }
  ~RunningServer() {
    server_.Stop();
    runner_.join();
  }
  HttpServer& server() { return server_; }
  int port() const { return server_.port(); }

 private:
  Readiness readiness_;
  HttpServer server_;
  std::thread runner_;
};

HttpConfig Local(int threads = 2) {
  return HttpConfig{.host = "127.0.0.1", .port = 0, .threads = threads, .blocking_threads = 1};
}

Route Fast() {
  return {.method = "GET", .pattern = "/fast", .handler = [](Request&) -> Result<Response> {
            return Response::Json(R"({"fast":true})");
          }};
}

// The body of a raw HTTP answer.
std::string BodyOf(const std::string& answer) {
  const auto end = answer.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : answer.substr(end + 4);
}

TEST(HttpServerTest, ABlockingRouteLeavesTheIoThreadsToAnswerOthers) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> slow_started{false};
  Router router;
  router.Add({.method = "GET",
              .pattern = "/slow",
              .handler = [&](Request&) -> Result<Response> {
                slow_started = true;
                released.wait();  // holds its thread until the test lets go
                return Response::Json(R"({"slow":true})");
              },
              .blocking = true});
  router.Add({.method = "GET", .pattern = "/fast", .handler = [](Request&) -> Result<Response> {
                return Response::Json(R"({"fast":true})");
              }});
  Readiness readiness;
  // One I/O thread: were the slow handler run on it, nothing else would be answered.
  HttpServer server(HttpConfig{.host = "127.0.0.1", .port = 0, .threads = 1, .blocking_threads = 1},
                    std::move(router), {}, readiness);
  server.Start();
  std::thread runner([&] { server.Run(); });

  RawRequest slow(server.port(), "/slow");
  ASSERT_TRUE(slow.sent());
  for (int i = 0; i < 1000 && !slow_started; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(slow_started);
  RawRequest fast(server.port(), "/fast");
  const std::string fast_answer = fast.Answer();
  EXPECT_NE(fast_answer.find(R"({"fast":true})"), std::string::npos) << fast_answer;
  EXPECT_TRUE(slow_started);  // and still held

  release.set_value();
  const std::string slow_answer = slow.Answer();
  EXPECT_NE(slow_answer.find("200 OK"), std::string::npos) << slow_answer;
  EXPECT_NE(slow_answer.find(R"({"slow":true})"), std::string::npos) << slow_answer;
  server.Stop();
  runner.join();
}

// Descriptors of this process open on `path`.
int OpenDescriptorsOn(const std::string& path) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(entry.path(), ec) == path) ++count;
  }
  return count;
}

TEST(HttpServerTest, AFileResponseThatCannotBeSentClosesItsFile) {
  const std::string path =
      std::filesystem::weakly_canonical(std::filesystem::path(::testing::TempDir()) /
                                        ("reel_fd_" + std::to_string(getpid())))
          .string();
  { std::ofstream(path) << "sixteen bytes..."; }
  Router router;
  router.Add({.method = "GET", .pattern = "/file", .handler = [&](Request&) -> Result<Response> {
                Response response;
                // Beast refuses a header value over 64 KiB, after the file was opened.
                response.SetHeader("x-oversize", std::string(70'000, 'a'));
                response.file = FileSlice{path, 0, 16};
                return response;
              }});
  {
    RunningServer running(Local(), std::move(router));
    for (int i = 0; i < 3; ++i) {
      RawRequest request(running.port(), "/file");
      ASSERT_TRUE(request.sent());
      // The server gives up on the connection; by then the file must be closed again.
      EXPECT_EQ(request.Answer().find("sixteen bytes"), std::string::npos);
      EXPECT_EQ(OpenDescriptorsOn(path), 0) << "request " << i;
    }
  }
  std::filesystem::remove(path);
}

// ---- answers without a route (finding 10) ---------------------------------------------

Router DouyinAndApi() {
  Router router;
  router.Add({.method = "POST",
              .pattern = "/douyin/user/login",
              .handler = [](Request&) -> Result<Response> { return Response::Json("{}"); }});
  router.Add({.method = "POST",
              .pattern = "/api/user/login",
              .handler = [](Request&) -> Result<Response> { return Response::Json("{}"); }});
  return router;
}

TEST(HttpServerTest, UnknownDouyinPathsAndMethodsAnswerInTheDouyinShape) {
  RunningServer running(Local(), DouyinAndApi());
  RawRequest unknown(running.port(), "/douyin/no/such/route/");
  const std::string not_found = unknown.Answer();
  EXPECT_NE(not_found.find("200 OK"), std::string::npos) << not_found;
  EXPECT_NE(BodyOf(not_found).find(R"("status_code":404)"), std::string::npos) << not_found;
  EXPECT_NE(BodyOf(not_found).find(R"("status_msg":"no route for)"), std::string::npos);
  RawRequest wrong_method(running.port(), "/douyin/user/login/");
  const std::string not_allowed = wrong_method.Answer();
  EXPECT_NE(BodyOf(not_allowed).find(R"("status_code":405)"), std::string::npos) << not_allowed;
  // /api and other paths keep the /api shape and the real status.
  RawRequest api(running.port(), "/api/user/login");
  const std::string api_answer = api.Answer();
  EXPECT_NE(api_answer.find("405 Method Not Allowed"), std::string::npos) << api_answer;
  EXPECT_NE(BodyOf(api_answer).find(R"("reason":"METHOD_NOT_ALLOWED")"), std::string::npos);
  RawRequest lookalike(running.port(), "/douyinx/user");
  EXPECT_NE(BodyOf(lookalike.Answer()).find(R"("reason":"ROUTE_NOT_FOUND")"), std::string::npos);
}

// ---- a dependency that is down (issue 18) ----------------------------------------------

TEST(HttpServerTest, AStoreThatIsDownIsAnswered503WithoutItsInnards) {
  Router router;
  router.Add({.method = "GET", .pattern = "/api/down", .handler = [](Request&) -> Result<Response> {
                throw StatusError(Unavailable("STORE_UNAVAILABLE", "the database is unavailable"),
                                  "primary 127.0.0.1:3306 unreachable: Lost connection");
              }});
  router.Add({.method = "GET", .pattern = "/api/bug", .handler = [](Request&) -> Result<Response> {
                throw std::runtime_error("secret internals");
              }});
  RunningServer running(Local(), std::move(router), {RecoverMiddleware()});
  const std::string down = RawRequest(running.port(), "/api/down").Answer();
  EXPECT_NE(down.find("503 Service Unavailable"), std::string::npos) << down;
  EXPECT_NE(down.find("retry-after: 1"), std::string::npos) << down;
  EXPECT_NE(BodyOf(down).find(R"("reason":"STORE_UNAVAILABLE")"), std::string::npos) << down;
  EXPECT_EQ(down.find("127.0.0.1:3306"), std::string::npos) << down;
  const std::string bug = RawRequest(running.port(), "/api/bug").Answer();
  EXPECT_NE(bug.find("500 Internal Server Error"), std::string::npos) << bug;
  EXPECT_EQ(bug.find("secret internals"), std::string::npos) << bug;
}

TEST(HttpServerTest, ReadyzReportsEachProbeAndFailsWhileOneIsNotReady) {
  Readiness readiness;
  readiness.SetReady(true);
  std::atomic<bool> replica_up{true};
  readiness.AddProbe([&replica_up] {
    return Readiness::Check{"database favorite", replica_up.load(),
                            replica_up ? "ok" : "no server answers"};
  });
  Router router;
  AddHealthRoutes(router, readiness);
  RunningServer running(Local(), std::move(router));
  const std::string ready = RawRequest(running.port(), "/readyz").Answer();
  EXPECT_NE(ready.find("200 OK"), std::string::npos) << ready;
  EXPECT_NE(BodyOf(ready).find(R"("name":"database favorite","ready":true)"), std::string::npos)
      << ready;
  replica_up = false;
  const std::string not_ready = RawRequest(running.port(), "/readyz").Answer();
  EXPECT_NE(not_ready.find("503 Service Unavailable"), std::string::npos) << not_ready;
  EXPECT_NE(BodyOf(not_ready).find("database favorite: no server answers"), std::string::npos)
      << not_ready;
  replica_up = true;
  EXPECT_NE(RawRequest(running.port(), "/readyz").Answer().find("200 OK"), std::string::npos);
}

// ---- requests that are not HTTP, or too big (finding 9) -------------------------------

std::string Exchange(int port, std::string_view raw) {
  RawConnection connection(port);
  EXPECT_TRUE(connection.Send(raw));
  return connection.Answer();
}

TEST(HttpServerTest, AnOversizeHeaderIsAnswered431AndClosed) {
  RunningServer running(Local(), DouyinAndApi());
  const std::string big(17 * 1024, 'a');
  const std::string answer =
      Exchange(running.port(), "GET /api/x HTTP/1.1\r\nHost: h\r\nX-Big: " + big + "\r\n\r\n");
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 431 ")) << answer.substr(0, 200);
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
  EXPECT_NE(BodyOf(answer).find(R"({"code":431,"reason":"HEADER_TOO_LARGE","message":")"),
            std::string::npos)
      << answer;
  // Under /douyin, the Douyin shape.
  const std::string douyin = Exchange(
      running.port(), "GET /douyin/feed/ HTTP/1.1\r\nHost: h\r\nX-Big: " + big + "\r\n\r\n");
  EXPECT_NE(BodyOf(douyin).find(R"({"status_code":431,"status_msg":")"), std::string::npos)
      << douyin.substr(0, 300);
}

TEST(HttpServerTest, AnOversizeTargetIsAnswered414) {
  RunningServer running(Local(), DouyinAndApi());
  // Within the header limit, and beyond it.
  for (std::size_t size : {9 * 1024, 20 * 1024}) {
    const std::string answer = Exchange(
        running.port(), "GET /api/" + std::string(size, 'p') + " HTTP/1.1\r\nHost: h\r\n\r\n");
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 414 ")) << size << ": " << answer.substr(0, 200);
    EXPECT_NE(BodyOf(answer).find(R"("reason":"URI_TOO_LONG")"), std::string::npos) << size;
  }
  const std::string douyin = Exchange(
      running.port(), "GET /douyin/feed?" + std::string(20 * 1024, 'q') + " HTTP/1.1\r\n\r\n");
  EXPECT_NE(BodyOf(douyin).find(R"({"status_code":414,)"), std::string::npos)
      << douyin.substr(0, 300);
}

TEST(HttpServerTest, GarbageIsAnswered400) {
  RunningServer running(Local(), DouyinAndApi());
  for (std::string_view raw :
       {"GARBAGE\r\n\r\n", "GET /api/x HTTP/9\r\n\r\n", "GET /api/x HTTP/1.1\r\nBad Header\r\n\r\n",
        "POST /api/user/login HTTP/1.1\r\nContent-Length: x\r\n\r\n"}) {
    const std::string answer = Exchange(running.port(), raw);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 ")) << raw << ": " << answer;
    EXPECT_NE(BodyOf(answer).find(R"({"code":400,"reason":"BAD_REQUEST","message":")"),
              std::string::npos)
        << answer;
  }
  // Still serving.
  RawRequest fine(running.port(), "/api/user/login");
  EXPECT_NE(fine.Answer().find("405"), std::string::npos);
}

// ---- the client's address (finding 4) -------------------------------------------------

Router WhoAmI() {
  Router router;
  router.Add(
      {.method = "GET", .pattern = "/whoami", .handler = [](Request& req) -> Result<Response> {
         return Response::Json(R"({"remote":")" + req.remote_ip + R"(","peer":")" + req.peer_ip +
                               R"("})");
       }});
  return router;
}

TEST(HttpServerTest, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  const std::string forwarded = "X-Forwarded-For: 198.51.100.1, 203.0.113.9\r\n";
  {
    RunningServer running(Local(), WhoAmI());  // the default: nobody is trusted
    RawRequest req(running.port(), "/whoami", forwarded);
    EXPECT_NE(BodyOf(req.Answer()).find(R"({"remote":"127.0.0.1","peer":"127.0.0.1"})"),
              std::string::npos);
  }
  HttpConfig trusting = Local();
  trusting.trusted_proxies = {"127.0.0.0/8", "::1/128"};
  RunningServer running(trusting, WhoAmI());
  RawRequest req(running.port(), "/whoami", forwarded);
  const std::string answer = req.Answer();
  EXPECT_NE(BodyOf(answer).find(R"({"remote":"203.0.113.9","peer":"127.0.0.1"})"),
            std::string::npos)
      << answer;
  RawRequest direct(running.port(), "/whoami");
  EXPECT_NE(BodyOf(direct.Answer()).find(R"({"remote":"127.0.0.1","peer":"127.0.0.1"})"),
            std::string::npos);
}

TEST(HttpServerTest, AnInvalidTrustedProxyIsRefusedNamingTheKey) {
  HttpConfig config = Local();
  config.trusted_proxies = {"127.0.0.0/8", "10.0.0.0/99"};
  Readiness readiness;
  try {
    HttpServer server(config, Router{}, {}, readiness);
    ADD_FAILURE() << "accepted 10.0.0.0/99";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("http.trusted_proxies"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("10.0.0.0/99"), std::string::npos) << e.what();
  }
}

// ---- connections (finding 8) ------------------------------------------------------------

constexpr std::string_view kKeepAliveFast = "GET /fast HTTP/1.1\r\nHost: h\r\n\r\n";

TEST(HttpServerTest, ConnectionsBeyondThePerAddressCapAreClosedAtOnce) {
  Router router;
  router.Add(Fast());
  HttpConfig config = Local();
  config.max_connections_per_client = 2;
  RunningServer running(config, std::move(router));
  // Two kept-alive connections, each known to be accepted (answered).
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(std::make_unique<RawConnection>(running.port()));
    ASSERT_TRUE(held.back()->Send(kKeepAliveFast));
    ASSERT_NE(held.back()->AnswerUntil(R"({"fast":true})").find("200 OK"), std::string::npos);
  }
  {
    RawConnection third(running.port());
    third.Send(kKeepAliveFast);  // may fail: the server may have closed already
    EXPECT_EQ(third.Answer(), "");
  }
  EXPECT_EQ(running.server().refused_connections(), 1u);
  // A closed connection frees its place (the server notices the close on its own time).
  held.pop_back();
  std::string answer;
  for (int attempt = 0; attempt < 200 && answer.empty(); ++attempt) {
    RawConnection again(running.port());
    again.Send(kKeepAliveFast);
    answer = again.AnswerUntil(R"({"fast":true})");
    if (answer.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(answer.find("200 OK"), std::string::npos);
}

TEST(HttpServerTest, ZeroMeansNoCapOnConnectionsPerAddress) {
  Router router;
  router.Add(Fast());
  HttpConfig config = Local();
  config.max_connections_per_client = 0;
  RunningServer running(config, std::move(router));
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 300; ++i) {
    held.push_back(std::make_unique<RawConnection>(running.port()));
    ASSERT_TRUE(held.back()->Send(kKeepAliveFast));
  }
  for (auto& connection : held) {
    ASSERT_NE(connection->AnswerUntil(R"({"fast":true})").find("200 OK"), std::string::npos);
  }
  EXPECT_EQ(running.server().refused_connections(), 0u);
}

// A descriptor limit under which this process can make no new descriptor: 0, 1 and 2 are
// open (opened here when the runner left one closed), and the ones above the limit stay
// usable.
rlim_t NoNewDescriptors() {
  for (int fd = 0; fd < 3; ++fd) {
    if (::fcntl(fd, F_GETFD) < 0) ::open("/dev/null", O_RDONLY);  // takes the lowest free
  }
  return 3;
}

TEST(HttpServerTest, OutOfDescriptorsTheAcceptLoopWaitsAndRecovers) {
  Router router;
  router.Add(Fast());
  RunningServer running(Local(1), std::move(router));
  constexpr int kWaiting = 8;
  // The clients' sockets exist before the limit drops; connecting needs no new descriptor.
  std::vector<std::unique_ptr<RawConnection>> clients;
  for (int i = 0; i < kWaiting; ++i) clients.push_back(std::make_unique<RawConnection>(0));
  rlimit original{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &original), 0);
  rlimit lowered = original;
  lowered.rlim_cur = NoNewDescriptors();
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0);
  for (auto& client : clients) {
    EXPECT_TRUE(client->Connect(running.port()));  // completed by the kernel, not accepted
    EXPECT_TRUE(client->Send(kKeepAliveFast));
  }
  // While the limit holds, every accept fails. Retried at once (the spin this replaced),
  // that is hundreds of thousands of failures a second; with the pauses (10 ms doubling to
  // 1 s) it is about ten in 1.5 s.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const std::uint64_t errors = running.server().accept_errors();
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &original), 0);
  EXPECT_GE(errors, 1u);
  EXPECT_LE(errors, 20u);
  // Descriptors are back: the waiting clients are served, within the longest pause.
  for (auto& client : clients) {
    EXPECT_NE(client->AnswerUntil(R"({"fast":true})").find("200 OK"), std::string::npos);
  }
}

}  // namespace
}  // namespace reel::http
