#include "kit/rpc/etcd_test_server.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kit/rpc/etcd_client.hpp"

extern char** environ;

namespace reel::rpc::testing {
namespace {

// A port the kernel just handed out on 127.0.0.1; etcd binds it right after we let it go.
int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("could not find a free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool WaitForExit(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, nullptr, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

EtcdTestServer::EtcdTestServer() {
  std::string pattern = (std::filesystem::temp_directory_path() / "reel-etcd-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  client_port_ = FreeLoopbackPort();
  peer_port_ = FreeLoopbackPort();
  endpoint_ = "http://127.0.0.1:" + std::to_string(client_port_);
}

EtcdTestServer::~EtcdTestServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string EtcdTestServer::Start() {
  if (::access(kBinary, X_OK) != 0) {
    return std::string(kBinary) +
           " is missing: install the Debian package etcd-server (scripts/test does)";
  }
  const std::string peer = "http://127.0.0.1:" + std::to_string(peer_port_);
  // Short heartbeats lower etcd's minimum lease TTL (1.5 election timeouts, rounded up to
  // whole seconds) to 1 s, so lease tests take about a second instead of two.
  std::vector<std::string> args = {kBinary,
                                   "--name=t",
                                   "--data-dir=" + (dir_ / "data").string(),
                                   "--listen-client-urls=" + endpoint_,
                                   "--advertise-client-urls=" + endpoint_,
                                   "--listen-peer-urls=" + peer,
                                   "--initial-advertise-peer-urls=" + peer,
                                   "--initial-cluster=t=" + peer,
                                   "--heartbeat-interval=50",
                                   "--election-timeout=500",
                                   "--log-level=warn"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log_path = (dir_ / "etcd.log").string();
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  int rc = ::posix_spawn(&pid_, kBinary, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    return "could not start " + std::string(kBinary) + ": error " + std::to_string(rc);
  }

  EtcdClient probe({endpoint_}, std::chrono::milliseconds(500));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    if (probe.GetPrefix("/probe").ok()) return {};
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return "etcd exited at start; log tail:\n" + LogTail();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Stop();
  return "etcd did not answer within 15 s; log tail:\n" + LogTail();
}

void EtcdTestServer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!WaitForExit(pid_, std::chrono::seconds(5))) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
}

void EtcdTestServer::WipeData() {
  if (pid_ > 0) throw std::logic_error("WipeData needs a stopped etcd");
  std::filesystem::remove_all(dir_ / "data");
}

std::string EtcdTestServer::LogTail() const {
  std::ifstream in(dir_ / "etcd.log");
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  constexpr std::size_t kTail = 2000;
  return all.size() > kTail ? all.substr(all.size() - kTail) : all;
}

}  // namespace reel::rpc::testing
