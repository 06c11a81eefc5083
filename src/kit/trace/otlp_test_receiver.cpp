#include "kit/trace/otlp_test_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace reel::trace::testing {
namespace {

constexpr int kPollMs = 20;  // how often the loops look at the stop flag
constexpr std::size_t kMaxRequestBytes = 64 << 20;

int BindLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("bind 127.0.0.1 failed");
  }
  return fd;
}

int PortOf(int fd) {
  sockaddr_in address{};
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  return ntohs(address.sin_port);
}

bool Readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, kPollMs) > 0;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The value of header `name` (lower case) in a header block, or "".
std::string HeaderValue(const std::string& head, const std::string& name) {
  std::size_t line = head.find("\r\n");
  while (line != std::string::npos && line + 2 < head.size()) {
    const std::size_t next = head.find("\r\n", line + 2);
    const std::string field =
        head.substr(line + 2, next == std::string::npos ? std::string::npos : next - line - 2);
    const std::size_t colon = field.find(':');
    if (colon != std::string::npos && Lower(field.substr(0, colon)) == name) {
      const std::size_t start = field.find_first_not_of(' ', colon + 1);
      return start == std::string::npos ? "" : field.substr(start);
    }
    line = next;
  }
  return "";
}

std::size_t SpansIn(const OtlpTestReceiver::Request& request) {
  std::size_t count = 0;
  for (const auto& resource : request.decoded.resource_spans()) {
    for (const auto& scope : resource.scope_spans()) count += scope.spans_size();
  }
  return count;
}

}  // namespace

OtlpTestReceiver::OtlpTestReceiver() : OtlpTestReceiver(Options{}) {}

OtlpTestReceiver::OtlpTestReceiver(Options options) : options_(options) {
  listener_ = BindLoopback(0);
  port_ = PortOf(listener_);
  ::listen(listener_, 16);
  thread_ = std::thread([this] { Serve(); });
}

OtlpTestReceiver::~OtlpTestReceiver() {
  stop_ = true;
  thread_.join();
  ::close(listener_);
}

std::string OtlpTestReceiver::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

bool OtlpTestReceiver::WaitForSpans(std::size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return spans_ >= count; });
}

std::vector<OtlpTestReceiver::Request> OtlpTestReceiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t OtlpTestReceiver::span_count() const {
  std::lock_guard lock(mutex_);
  return spans_;
}

void OtlpTestReceiver::Serve() {
  // A thread per connection: the exporters of several processes (a cluster) each keep
  // theirs open.
  std::vector<std::thread> connections;
  while (!stop_) {
    if (!Readable(listener_)) continue;
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    connections.emplace_back([this, fd] {
      ServeConnection(fd);
      ::close(fd);
    });
  }
  for (std::thread& connection : connections) connection.join();
}

void OtlpTestReceiver::ServeConnection(int fd) {
  std::string buffer;
  char chunk[65536];
  while (!stop_) {
    if (!HandleRequest(fd, buffer)) return;
    if (!Readable(fd)) continue;
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) return;  // the client closed (or failed)
    buffer.append(chunk, static_cast<std::size_t>(got));
    if (buffer.size() > kMaxRequestBytes) return;
  }
}

// Takes one complete request off the front of `buffer` when there is one, records it and
// answers it.
bool OtlpTestReceiver::HandleRequest(int fd, std::string& buffer) {
  const std::size_t head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string::npos) return true;
  const std::string head = buffer.substr(0, head_end);
  const std::size_t length = std::strtoul(HeaderValue(head, "content-length").c_str(), nullptr, 10);
  if (buffer.size() < head_end + 4 + length) return true;

  Request request;
  const std::size_t method_end = head.find(' ');
  const std::size_t path_end = head.find(' ', method_end + 1);
  request.method = head.substr(0, method_end);
  request.path = head.substr(method_end + 1, path_end - method_end - 1);
  request.content_type = HeaderValue(head, "content-type");
  request.body = buffer.substr(head_end + 4, length);
  request.decoded_ok = request.decoded.ParseFromString(request.body);
  buffer.erase(0, head_end + 4 + length);
  Record(std::move(request));

  if (!options_.answer) return true;
  const std::string answer = "HTTP/1.1 " + std::to_string(options_.status) +
                             " Test\r\nContent-Type: application/x-protobuf\r\n"
                             "Content-Length: 0\r\n\r\n";
  return ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) ==
         static_cast<ssize_t>(answer.size());
}

void OtlpTestReceiver::Record(Request request) {
  {
    std::lock_guard lock(mutex_);
    spans_ += SpansIn(request);
    requests_.push_back(std::move(request));
  }
  arrived_.notify_all();
}

int ClosedPort() {
  const int fd = BindLoopback(0);
  const int port = PortOf(fd);
  ::close(fd);
  return port;
}

}  // namespace reel::trace::testing
