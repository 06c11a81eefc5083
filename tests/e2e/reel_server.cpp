#include "reel_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#ifndef REEL_BINARY_PATH
#error "REEL_BINARY_PATH must name the reel binary (set by tests/e2e/CMakeLists.txt)"
#endif
#ifndef REEL_CLUSTER_SCRIPT
#error "REEL_CLUSTER_SCRIPT must name scripts/cluster (set by tests/e2e/CMakeLists.txt)"
#endif

extern char** environ;

namespace reel::e2e {
namespace {

// The --engines-from directory of a cluster's arguments, if any.
std::optional<std::filesystem::path> EnginesFrom(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--engines-from") return std::filesystem::path(args[i + 1]);
  }
  return std::nullopt;
}

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kStartAttempts = 3;
constexpr milliseconds kReadyPoll{20};
constexpr milliseconds kProbeTimeout{500};
constexpr milliseconds kReapTimeout{5000};
// A cluster is eight services, its Redis and the edge, the services in two waves; on two
// busy cores that takes longer than one process.
constexpr milliseconds kClusterReadyTimeout{60000};
constexpr milliseconds kClusterStopTimeout{60000};
constexpr int kServicePorts = 16;  // HTTP and gRPC for eight services, per replica

// Password hashing at production cost would dominate test time; tests that need the real
// cost (a slow request) override these.
const std::map<std::string, std::string>& DefaultEnv() {
  static const std::map<std::string, std::string> env = {
      {"REEL_AUTH_ARGON2_MEMORY_KIB", "8192"},
      {"REEL_AUTH_ARGON2_OPS", "1"},
      {"REEL_LOG_FORMAT", "json"},
  };
  return env;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string ReadFile(const std::filesystem::path& path, std::uintmax_t offset = 0) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  in.seekg(static_cast<std::streamoff>(offset));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::uintmax_t FileSize(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

std::vector<std::string> BuildEnvironment(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string name(text.substr(0, eq));
    // Only the test decides REEL_* settings: the developer's shell must not change results
    // (and an unknown REEL_* variable stops the server).
    if (name.starts_with("REEL_")) continue;
    merged[name] = std::string(text.substr(eq + 1));
  }
  for (const auto& [name, value] : DefaultEnv()) merged[name] = value;
  for (const auto& [name, value] : extra) merged[name] = value;
  std::vector<std::string> out;
  out.reserve(merged.size());
  for (const auto& [name, value] : merged) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Starts argv[0] with stdin from /dev/null and stdout/stderr appended to the given files
// (which may be the same). Returns the pid, or -1 with errno set.
pid_t Spawn(std::vector<std::string> argv, std::vector<std::string> env,
            const std::filesystem::path& out_path, const std::filesystem::path& err_path) {
  // Everything the child touches is prepared before fork: between fork and exec only
  // async-signal-safe calls are allowed (this process may have other threads).
  std::vector<char*> argv_ptrs = CStrings(argv);
  std::vector<char*> env_ptrs = CStrings(env);
  const std::string out = out_path.string();
  const std::string err = err_path.string();
  const bool same_file = out == err;
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;

  // A server must not outlive a crashed test run: it would keep its port and its files.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  const int in_fd = open("/dev/null", O_RDONLY);
  const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  const int err_fd = same_file ? out_fd : open(err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (in_fd < 0 || out_fd < 0 || err_fd < 0) _exit(127);
  dup2(in_fd, STDIN_FILENO);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  // Sockets of the test process (old keep-alive connections) must not leak into the server.
  close_range(3, ~0U, 0);
  execve(argv_ptrs[0], argv_ptrs.data(), env_ptrs.data());
  static constexpr char kMessage[] = "e2e harness: execve of the reel binary failed\n";
  [[maybe_unused]] const auto written = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  _exit(127);
}

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Reaps `pid` if it exits within `timeout` (0: just check once).
std::optional<int> WaitForExit(pid_t pid, Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t reaped = waitpid(pid, &status, WNOHANG);
    if (reaped == pid) return DecodeWaitStatus(status);
    if (reaped < 0 && errno != EINTR) return std::nullopt;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(5));
  }
}

// Runs `argv` to its end with its output in the two files, killing it after `timeout`:
// exit_code is empty when it had to be killed; err says so when it could not start.
ProcessResult RunToEnd(const std::vector<std::string>& argv, std::vector<std::string> env,
                       const std::filesystem::path& out_path, const std::filesystem::path& err_path,
                       milliseconds timeout) {
  ProcessResult result;
  const pid_t pid = Spawn(argv, std::move(env), out_path, err_path);
  if (pid < 0) {
    result.err = std::string("e2e harness: fork failed: ") + std::strerror(errno);
    return result;
  }
  result.exit_code = WaitForExit(pid, timeout);
  if (!result.exit_code) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  return result;
}

// Inodes of the sockets listening on `port` (any address, IPv4 or IPv6).
std::set<std::string> ListeningInodes(int port, bool& readable) {
  std::set<std::string> inodes;
  readable = false;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    if (!in) continue;
    readable = true;
    std::string line;
    std::getline(in, line);  // column titles
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      constexpr std::string_view kListen = "0A";
      const auto colon = local.rfind(':');
      if (state != kListen || colon == std::string::npos) continue;
      if (std::strtol(local.c_str() + colon + 1, nullptr, 16) == port) inodes.insert(inode);
    }
  }
  return inodes;
}

// Whether `pid` holds the socket listening on `port`. A free port can be taken by another
// server (tests run in parallel) between PickFreePort() and our child's bind, and that server
// would answer our /healthz too.
bool OwnsListeningSocket(pid_t pid, int port) {
  bool readable = false;
  const std::set<std::string> inodes = ListeningInodes(port, readable);
  if (!readable) return true;  // no /proc: nothing better to go on than /healthz
  std::error_code ec;
  const std::filesystem::path fds = "/proc/" + std::to_string(pid) + "/fd";
  for (auto it = std::filesystem::directory_iterator(fds, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    std::error_code link_ec;
    const std::string target = std::filesystem::read_symlink(it->path(), link_ec).string();
    if (link_ec || !target.starts_with("socket:[")) continue;
    if (inodes.contains(target.substr(8, target.size() - 9))) return true;
  }
  return false;
}

}  // namespace

std::string ReelBinary() {
  return REEL_BINARY_PATH;
}

bool ClusterMode() {
  const char* target = std::getenv("E2E_TARGET");
  const char* args = std::getenv("E2E_CLUSTER_ARGS");
  return (target != nullptr && std::string_view(target) == "cluster") ||
         (args != nullptr && *args != '\0');
}

std::vector<std::string> ClusterArgs() {
  std::vector<std::string> out;
  const char* given = std::getenv("E2E_CLUSTER_ARGS");
  std::istringstream words(given == nullptr ? "" : given);
  for (std::string word; words >> word;) out.push_back(word);
  return out;
}

bool EnginesMode() {
  if (!ClusterMode()) return false;
  const std::vector<std::string> args = ClusterArgs();
  return std::ranges::any_of(
      args, [](const std::string& arg) { return arg == "--engines" || arg == "--engines-from"; });
}

int ClusterReplicas() {
  const std::vector<std::string> args = ClusterArgs();
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--replicas") return std::max(1, std::atoi(args[i + 1].c_str()));
  }
  return 1;
}

// ---- TempDir -----------------------------------------------------------------------------

TempDir::TempDir() {
  std::string pattern = "/tmp/reel-e2e-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int PickFreePort() {
  const FdCloser sock{socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (sock.fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(sock.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return 0;
  if (getsockname(sock.fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  return ntohs(addr.sin_port);
}

ProcessResult RunReel(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, milliseconds timeout) {
  const TempDir dir;
  std::vector<std::string> argv = {ReelBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto out_path = dir.Path() / "stdout";
  const auto err_path = dir.Path() / "stderr";
  ProcessResult result = RunToEnd(argv, BuildEnvironment(env), out_path, err_path, timeout);
  if (!result.err.empty()) return result;  // it never started
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

ProcessResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                         milliseconds timeout) {
  const TempDir dir;
  std::vector<std::string> argv = {program};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto out_path = dir.Path() / "stdout";
  const auto err_path = dir.Path() / "stderr";
  ProcessResult result = RunToEnd(argv, BuildEnvironment({}), out_path, err_path, timeout);
  if (!result.err.empty()) return result;  // it never started
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

// ---- ReelServer --------------------------------------------------------------------------

ReelServer::ReelServer(ServerOptions options)
    : options_(std::move(options)), cluster_(ClusterMode()) {}

ReelServer::~ReelServer() {
  if (::testing::Test::HasFailure() && !log_path_.empty()) {
    if (cluster_) {
      std::cerr << "---- cluster logs in " << data_dir_.string() << " ----\n"
                << ClusterLog(15) << "---- end of logs ----\n";
    } else {
      std::cerr << "---- tail of " << log_path_.string() << " ----\n"
                << LogTail() << "---- end of log ----\n";
    }
  }
  Stop();
}

::testing::AssertionResult ReelServer::Start() {
  if (Running()) return ::testing::AssertionFailure() << "server already running";
  if (cluster_) return StartCluster();
  if (!temp_dir_) {
    temp_dir_ = std::make_unique<TempDir>();
    log_path_ = temp_dir_->Path() / "server.log";
    data_dir_ = options_.data_dir.empty() ? temp_dir_->Path() / "data" : options_.data_dir;
    std::error_code ec;
    std::filesystem::create_directories(data_dir_, ec);
    if (ec) return ::testing::AssertionFailure() << "cannot create " << data_dir_ << ": " << ec;
  }
  const std::vector<std::string> env = BuildEnvironment(options_.env);
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    port_ = PickFreePort();
    if (port_ == 0) return ::testing::AssertionFailure() << "no free port on 127.0.0.1";
    std::vector<std::string> argv = {
        ReelBinary(),          "all",        "--host",          "127.0.0.1", "--port",
        std::to_string(port_), "--data-dir", data_dir_.string()};
    argv.insert(argv.end(), options_.args.begin(), options_.args.end());
    const std::uintmax_t log_start = FileSize(log_path_);
    exit_status_.reset();
    pid_ = Spawn(argv, env, log_path_, log_path_);
    if (pid_ < 0) {
      return ::testing::AssertionFailure() << "cannot fork: " << std::strerror(errno);
    }
    switch (WaitReady()) {
      case Outcome::kReady:
        return ::testing::AssertionSuccess();
      case Outcome::kTimedOut:
        Stop(milliseconds(1000));
        return ::testing::AssertionFailure()
               << ReelBinary() << " not ready on port " << port_ << " within "
               << options_.ready_timeout.count() << " ms; log tail:\n"
               << LogTail();
      case Outcome::kExited: {
        const std::string output = Lower(ReadFile(log_path_, log_start));
        const bool port_taken = output.find("in use") != std::string::npos ||
                                output.find("eaddrinuse") != std::string::npos;
        if (port_taken && attempt < kStartAttempts) continue;
        return ::testing::AssertionFailure()
               << ReelBinary() << " exited with status " << exit_status_.value_or(-1)
               << " before it was ready (attempt " << attempt << "); log tail:\n"
               << LogTail();
      }
    }
  }
  return ::testing::AssertionFailure() << "unreachable";
}

ReelServer::Outcome ReelServer::WaitReady() {
  HttpClient probe(port_);
  probe.SetTimeout(kProbeTimeout);
  const auto deadline = Clock::now() + options_.ready_timeout;
  while (true) {
    if (WaitExit(milliseconds(0))) return Outcome::kExited;
    if (probe.Get("/healthz").status == 200 && OwnsListeningSocket(pid_, port_)) {
      return Outcome::kReady;
    }
    if (Clock::now() >= deadline) return Outcome::kTimedOut;
    std::this_thread::sleep_for(kReadyPoll);
  }
}

std::optional<int> ReelServer::Stop(milliseconds grace) {
  if (pid_ <= 0 || exit_status_) return exit_status_;
  if (cluster_) return StopCluster();
  kill(pid_, SIGTERM);
  if (WaitExit(grace)) return exit_status_;
  kill(pid_, SIGKILL);
  return WaitExit(kReapTimeout);
}

bool ReelServer::Signal(int sig) {
  if (!Running()) return false;
  if (!cluster_) return kill(pid_, sig) == 0;
  // nginx stops gracefully on SIGQUIT; its SIGTERM drops the requests in flight, which a
  // stop signal to a service never does.
  const pid_t edge = EdgePid();
  const bool stop_signal = sig == SIGTERM || sig == SIGINT;
  bool sent = false;
  for (const pid_t pid : ClusterPids()) {
    sent = kill(pid, pid == edge && stop_signal ? SIGQUIT : sig) == 0 || sent;
  }
  return sent;
}

std::optional<int> ReelServer::WaitExit(milliseconds timeout) {
  if (pid_ <= 0 || exit_status_) return exit_status_;
  if (!cluster_) {
    exit_status_ = WaitForExit(pid_, timeout);
    return exit_status_;
  }
  // The cluster's processes are not our children: it has exited when none of them runs.
  const auto deadline = Clock::now() + timeout;
  while (!ClusterPids().empty()) {
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kReadyPoll);
  }
  exit_status_ = 0;
  return exit_status_;
}

std::string ReelServer::BaseUrl() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string ReelServer::Log() const {
  return cluster_ ? ClusterLog(0) : ReadFile(log_path_);
}

std::string ReelServer::LogTail(std::size_t lines) const {
  const std::string log = Log();
  std::size_t start = log.size();
  // A trailing newline ends the last line rather than starting an empty one.
  std::size_t end = log.ends_with('\n') ? log.size() - 1 : log.size();
  for (std::size_t seen = 0; seen < lines; ++seen) {
    const std::size_t newline = end == 0 ? std::string::npos : log.rfind('\n', end - 1);
    if (newline == std::string::npos) return log;
    start = newline + 1;
    end = newline;
  }
  return log.substr(start);
}

// ---- cluster mode -----------------------------------------------------------------------

::testing::AssertionResult ReelServer::StartCluster() {
  if (!options_.args.empty()) {
    return ::testing::AssertionFailure() << "a cluster takes no `reel all` arguments";
  }
  if (!temp_dir_) {
    temp_dir_ = std::make_unique<TempDir>();
    log_path_ = temp_dir_->Path() / "cluster.log";
    // A given data dir is the cluster dir: a second cluster starts on the first one's data.
    data_dir_ = options_.data_dir.empty() ? temp_dir_->Path() / "cluster" : options_.data_dir;
  }
  std::map<std::string, std::string> settings = DefaultEnv();
  for (const auto& [name, value] : options_.env) settings[name] = value;
  const milliseconds ready_timeout = std::max(options_.ready_timeout, kClusterReadyTimeout);
  // A first start may retry in a new directory; a restart must keep its data.
  const bool fresh =
      options_.data_dir.empty() && !std::filesystem::exists(data_dir_ / "cluster.settings");
  // The edge's port, then 14 per replica.
  const std::size_t cluster_ports = 1 + static_cast<std::size_t>(kServicePorts * ClusterReplicas());
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    std::set<int> ports;
    for (std::size_t tries = 0; tries < 10 * cluster_ports && ports.size() < cluster_ports;
         ++tries) {
      if (const int port = PickFreePort(); port != 0) ports.insert(port);
    }
    if (ports.size() < cluster_ports) {
      return ::testing::AssertionFailure() << "not enough free ports on 127.0.0.1";
    }
    auto next = ports.begin();
    port_ = *next++;
    std::string service_ports;
    for (; next != ports.end(); ++next) {
      service_ports += (service_ports.empty() ? "" : " ") + std::to_string(*next);
    }
    std::vector<std::string> args = {"--binary",    ReelBinary(),
                                     "--host",      "127.0.0.1",
                                     "--edge-port", std::to_string(port_),
                                     "--ports",     service_ports,
                                     "--timeout",   std::to_string(ready_timeout.count() / 1000),
                                     "--owner-pid", std::to_string(getpid())};
    for (const auto& [name, value] : settings) {
      args.push_back("--env");
      args.push_back(name + "=" + value);
    }
    // E2E_CLUSTER_ARGS (the e2e-engines run: an engine pair someone else started, replicas).
    // Clusters on one shared pair keep apart by their database prefix, one per cluster
    // directory, so a restart on the same directory finds its data again.
    const std::vector<std::string> extra = options_.cluster_args.value_or(ClusterArgs());
    args.insert(args.end(), extra.begin(), extra.end());
    if (std::ranges::find(extra, "--engines-from") != extra.end()) {
      args.push_back("--database-prefix");
      args.push_back(DatabasePrefix());
    }
    args.push_back("start");
    const std::uintmax_t log_start = FileSize(log_path_);
    const ProcessResult run = RunClusterScript(args, ready_timeout + milliseconds(30000));
    if (run.exit_code == 0) {
      exit_status_.reset();
      pid_ = EdgePid();
      if (pid_ > 0) return ::testing::AssertionSuccess();
      return ::testing::AssertionFailure() << "the cluster started but nothing runs:\n"
                                           << ClusterLog(15);
    }
    if (!run.exit_code) RunClusterScript({"stop"}, kClusterStopTimeout);  // it hung: clean up
    // Nine processes on seventeen ports picked a moment earlier: another test's process may
    // take one in between, and rarely a service has not answered /readyz in time (seen once
    // in ~400 starts, cause not found). A new set of ports is the remedy for both; every
    // failed attempt stays in the log.
    const std::string failure = ReadFile(log_path_, log_start);
    std::cerr << "cluster start attempt " << attempt << " failed:\n" << failure << "\n";
    if (attempt < kStartAttempts) {
      RunClusterScript({"stop"}, kClusterStopTimeout);
      // Whatever the failed attempt left running must not hold the next one's files (the
      // search index lock): a fresh cluster starts over in a directory of its own.
      if (fresh) data_dir_ = temp_dir_->Path() / ("cluster-" + std::to_string(attempt + 1));
      continue;
    }
    return ::testing::AssertionFailure()
           << "scripts/cluster start failed (exit " << run.exit_code.value_or(-1) << ", attempt "
           << attempt << "):\n"
           << failure;
  }
  return ::testing::AssertionFailure() << "unreachable";
}

std::optional<int> ReelServer::StopCluster() {
  const ProcessResult run = RunClusterScript({"stop"}, kClusterStopTimeout);
  exit_status_ = run.exit_code.value_or(-1);
  return exit_status_;
}

namespace {

// Whether `reel job status` says every group consumed everything: the rows under the
// header "GROUP LAG PENDING ..." all have lag 0 and pending 0.
bool EveryGroupConsumed(const std::string& status) {
  std::istringstream lines(status);
  bool header = false;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string group, lag, pending;
    words >> group >> lag >> pending;
    if (group == "GROUP") {
      header = true;
      continue;
    }
    if (!header || group.empty() || group.front() == '{') continue;  // log lines
    if (lag != "0" || pending != "0") return false;
  }
  return header;
}

}  // namespace

bool ReelServer::WaitForEvents(milliseconds limit) {
  if (!cluster_) return true;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    const ProcessResult status = RunClusterScript({"reel", "job", "status"});
    if (status.exit_code == 0 && EveryGroupConsumed(status.out)) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(100));
  }
}

std::map<std::string, int> ReelServer::ProcessPorts() {
  if (!cluster_) return {{"all", port_}};
  std::map<std::string, int> ports;
  const ProcessResult status = RunClusterScript({"status"});
  // Lines "NAME PID PORT READY..." after the header; engines and the edge are skipped.
  std::istringstream lines(status.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string name, pid;
    int port = 0;
    if (!(fields >> name >> pid >> port) || name == "edge" || name.rfind("mariadb", 0) == 0 ||
        name == "redis" || name == "s3" || name == "prometheus") {
      continue;
    }
    ports.emplace(name, port);
  }
  return ports;
}

ProcessResult ReelServer::RunClusterScript(const std::vector<std::string>& args,
                                           milliseconds timeout) {
  ProcessResult result;
  if (!temp_dir_) {
    result.err = "e2e harness: no cluster started";
    return result;
  }
  std::vector<std::string> argv = {REEL_CLUSTER_SCRIPT, "--dir", data_dir_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  // Its output joins the cluster log, so a failure shows what the script said.
  const std::uintmax_t start = FileSize(log_path_);
  result = RunToEnd(argv, BuildEnvironment({}), log_path_, log_path_, timeout);
  if (result.err.empty()) result.out = ReadFile(log_path_, start);
  return result;
}

namespace {

// The pid in `<cluster>/run/<name>.pid` if that process runs (not a zombie init has yet to
// reap), else 0.
pid_t RunningPid(const std::filesystem::path& cluster_dir, std::string_view name) {
  const std::string text = ReadFile(cluster_dir / "run" / (std::string(name) + ".pid"));
  const pid_t pid = static_cast<pid_t>(std::atoi(text.c_str()));
  if (pid <= 0) return 0;
  const std::string status = ReadFile("/proc/" + std::to_string(pid) + "/status");
  if (status.empty() || status.find("State:\tZ") != std::string::npos) return 0;
  return pid;
}

// The cluster's processes by their pid files (<svc>, or <svc>.<i> with replicas, and
// edge), without the watchdog: it is the script's, not the cluster's.
std::vector<std::string> ClusterProcesses(const std::filesystem::path& cluster_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(cluster_dir / "run", ec)) {
    const std::filesystem::path& path = entry.path();
    if (path.extension() != ".pid" || path.stem() == "watchdog") continue;
    names.push_back(path.stem().string());
  }
  std::ranges::sort(names);
  return names;
}

}  // namespace

std::vector<pid_t> ReelServer::ClusterPids() const {
  std::vector<pid_t> pids;
  for (const std::string& name : ClusterProcesses(data_dir_)) {
    if (const pid_t pid = RunningPid(data_dir_, name); pid > 0) pids.push_back(pid);
  }
  return pids;
}

bool ReelServer::MediaInS3() const {
  namespace fs = std::filesystem;
  if (!ClusterMode()) return false;
  const auto engines = EnginesFrom(options_.cluster_args.value_or(ClusterArgs()));
  return engines && fs::exists(*engines / "s3" / "port");
}

std::filesystem::path ReelServer::MediaDir() const {
  namespace fs = std::filesystem;
  if (!MediaInS3()) return data_dir_ / "media";
  // scripts/cluster's media_bucket: media-<prefix>, lower case, '_' as '-', no trailing '-'.
  std::string bucket = "media-";
  for (char c : DatabasePrefix()) {
    bucket += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (bucket.ends_with('-')) bucket.pop_back();
  const auto engines = EnginesFrom(options_.cluster_args.value_or(ClusterArgs()));
  return *engines / "s3" / "data" / bucket;
}

std::string ReelServer::DatabasePrefix() const {
  // FNV-1a of the directory: short, and only letters, digits and _ (a database name).
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : data_dir_.string()) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  std::ostringstream out;
  out << "e2e_" << std::hex << hash << "_";
  return out.str();
}

pid_t ReelServer::EdgePid() const {
  return RunningPid(data_dir_, "edge");
}

// The script's output and every process's log; `lines_per_log` 0 means whole logs.
std::string ReelServer::ClusterLog(std::size_t lines_per_log) const {
  const auto tail = [lines_per_log](const std::string& text) {
    if (lines_per_log == 0) return text;
    // The last `lines_per_log` lines: start after the newline that many lines up (a final
    // newline ends the last line).
    std::size_t start = text.size();
    for (std::size_t seen = 0; seen <= lines_per_log; ++seen) {
      if (start == 0) return text;
      const std::size_t newline = text.rfind('\n', start - 1);
      if (newline == std::string::npos) return text;
      start = newline;
    }
    return text.substr(start + 1);
  };
  std::string out = "== scripts/cluster ==\n" + tail(ReadFile(log_path_));
  // Every process's log (<svc>.log, or <svc>.<i>.log with replicas), then the edge's.
  std::vector<std::filesystem::path> logs;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir_ / "logs", ec)) {
    if (entry.path().extension() == ".log") logs.push_back(entry.path());
  }
  std::ranges::sort(logs);
  logs.push_back(data_dir_ / "edge" / "logs" / "error.log");
  for (const std::filesystem::path& path : logs) {
    const std::string name =
        path.filename() == "error.log" ? std::string("edge") : path.stem().string();
    out += "== " + name + " (" + path.string() + ") ==\n" + tail(ReadFile(path));
  }
  return out;
}

// ---- ServerTest --------------------------------------------------------------------------

void ServerTest::SetUp() {
  server_ = std::make_unique<ReelServer>(Options());
  ASSERT_TRUE(server_->Start());
  client_ = std::make_unique<HttpClient>(server_->Port());
}

}  // namespace reel::e2e
