// The server on a real socket (127.0.0.1): what runs where.
#include "kit/http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

namespace reel::http {
namespace {

// One request on its own connection: sent now, answer read later (or never: a read gives
// up after 10 s, so a server that does not answer fails the test instead of hanging it).
class RawRequest {
 public:
  RawRequest(int port, const std::string& path) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{.tv_sec = 10, .tv_usec = 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    sent_ = connected_ &&
            ::send(fd_, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size());
  }
  ~RawRequest() { ::close(fd_); }

  bool sent() const { return sent_; }
  /// The whole response, or what came before the server closed or went quiet.
  std::string Answer() {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, 0)) > 0;) out.append(buf, n);
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
  bool sent_ = false;
};

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

}  // namespace
}  // namespace reel::http
