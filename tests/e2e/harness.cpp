#include "harness.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#ifndef REEL_BINARY_PATH
#error "REEL_BINARY_PATH must name the reel binary (set by tests/e2e/CMakeLists.txt)"
#endif

extern char** environ;

namespace reel::e2e {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kStartAttempts = 3;
constexpr milliseconds kReadyPoll{20};
constexpr milliseconds kProbeTimeout{500};
constexpr milliseconds kReapTimeout{5000};

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

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
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
  ProcessResult result;
  const pid_t pid = Spawn(argv, BuildEnvironment(env), out_path, err_path);
  if (pid < 0) {
    result.err = std::string("e2e harness: fork failed: ") + std::strerror(errno);
    return result;
  }
  result.exit_code = WaitForExit(pid, timeout);
  if (!result.exit_code) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

// ---- ReelServer --------------------------------------------------------------------------

ReelServer::ReelServer(ServerOptions options) : options_(std::move(options)) {}

ReelServer::~ReelServer() {
  if (::testing::Test::HasFailure() && !log_path_.empty()) {
    std::cerr << "---- tail of " << log_path_.string() << " ----\n"
              << LogTail() << "---- end of log ----\n";
  }
  Stop();
}

::testing::AssertionResult ReelServer::Start() {
  if (Running()) return ::testing::AssertionFailure() << "server already running";
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
  kill(pid_, SIGTERM);
  if (WaitExit(grace)) return exit_status_;
  kill(pid_, SIGKILL);
  return WaitExit(kReapTimeout);
}

bool ReelServer::Signal(int sig) {
  return Running() && kill(pid_, sig) == 0;
}

std::optional<int> ReelServer::WaitExit(milliseconds timeout) {
  if (pid_ <= 0 || exit_status_) return exit_status_;
  exit_status_ = WaitForExit(pid_, timeout);
  return exit_status_;
}

std::string ReelServer::BaseUrl() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string ReelServer::Log() const {
  return ReadFile(log_path_);
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

// ---- ServerTest --------------------------------------------------------------------------

void ServerTest::SetUp() {
  server_ = std::make_unique<ReelServer>(Options());
  ASSERT_TRUE(server_->Start());
  client_ = std::make_unique<HttpClient>(server_->Port());
}

// ---- HTTP --------------------------------------------------------------------------------

namespace {

struct HeaderList {
  curl_slist* head = nullptr;
  ~HeaderList() { curl_slist_free_all(head); }
  void Append(const std::string& line) {
    if (curl_slist* next = curl_slist_append(head, line.c_str())) head = next;
  }
};

struct MimeFree {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t CollectHeader(char* data, size_t size, size_t count, void* user) {
  auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
  const std::string_view line(data, size * count);
  // Each status line starts a new response (after "100 Continue"); keep only the last one's.
  if (line.starts_with("HTTP/")) {
    headers.clear();
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  const std::string name = Lower(Trim(line.substr(0, colon)));
  const std::string value(Trim(line.substr(colon + 1)));
  if (auto [it, inserted] = headers.emplace(name, value); !inserted) it->second += ", " + value;
  return size * count;
}

struct RequestSpec {
  std::string_view method{};
  std::string_view path{};
  std::optional<std::string_view> body{};
  std::string_view content_type{};
  const Pairs* headers = nullptr;
  curl_mime* mime = nullptr;
};

HttpResponse Perform(CURL* curl, int port, milliseconds timeout, const RequestSpec& spec) {
  HttpResponse response;
  if (!spec.path.starts_with('/')) {
    response.error = "path must start with '/': " + std::string(spec.path);
    return response;
  }
  // Reset keeps the connection cache, so keep-alive still works across requests.
  curl_easy_reset(curl);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + std::string(spec.path);
  const std::string method(spec.method);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  // Tests talk to their own server only: no proxy from the environment, no redirects.
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  // Send "/media/../x" as written: path-traversal tests must reach the server unsquashed.
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<std::int64_t>(timeout.count(), 2000)));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);

  HeaderList headers;
  // The server need not implement "Expect: 100-continue"; without this curl would stall on
  // large bodies waiting for it.
  headers.Append("Expect:");
  if (!spec.content_type.empty()) {
    headers.Append("Content-Type: " + std::string(spec.content_type));
  } else if (spec.body && !spec.mime) {
    headers.Append("Content-Type:");  // curl would otherwise claim a urlencoded form
  }
  if (spec.headers != nullptr) {
    for (const auto& [name, value] : *spec.headers) {
      // "Name:" would tell curl to drop the header; "Name;" sends it with an empty value.
      headers.Append(value.empty() ? name + ";" : name + ": " + value);
    }
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.head);

  if (spec.mime != nullptr) {
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, spec.mime);
  } else if (spec.body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, spec.body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(spec.body->size()));
  }
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method != "GET" && method != "POST") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  } else if (method == "GET" && (spec.body || spec.mime)) {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "GET");
  }

  const CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    response.status = 0;
    response.error = curl_easy_strerror(rc);
    return response;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::string FormEncode(const Pairs& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += UrlEncode(name) + "=" + UrlEncode(value);
  }
  return out;
}

}  // namespace

void HttpClient::CurlCleanup::operator()(void* handle) const {
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

HttpClient::HttpClient(int port) : port_(port) {
  // curl_global_init is not thread-safe; the first client is made before any worker thread.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_.reset(curl_easy_init());
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResponse HttpClient::Get(std::string_view path, const Pairs& headers) {
  return Perform(curl_.get(), port_, timeout_,
                 {.method = "GET", .path = path, .headers = &headers});
}

HttpResponse HttpClient::PostForm(std::string_view path, const Pairs& fields,
                                  const Pairs& headers) {
  const std::string body = FormEncode(fields);
  return Perform(curl_.get(), port_, timeout_,
                 {.method = "POST",
                  .path = path,
                  .body = body,
                  .content_type = "application/x-www-form-urlencoded",
                  .headers = &headers});
}

HttpResponse HttpClient::PostJson(std::string_view path, std::string_view json,
                                  const Pairs& headers) {
  return Perform(curl_.get(), port_, timeout_,
                 {.method = "POST",
                  .path = path,
                  .body = json,
                  .content_type = "application/json",
                  .headers = &headers});
}

HttpResponse HttpClient::PostMultipart(std::string_view path, const Pairs& fields,
                                       const Pairs& headers) {
  const std::unique_ptr<curl_mime, MimeFree> mime(curl_mime_init(curl_.get()));
  for (const auto& [name, value] : fields) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_name(part, name.c_str());
    curl_mime_data(part, value.data(), value.size());
  }
  return Perform(curl_.get(), port_, timeout_,
                 {.method = "POST", .path = path, .headers = &headers, .mime = mime.get()});
}

HttpResponse HttpClient::PostMultipartFiles(std::string_view path, const Pairs& fields,
                                            const std::vector<MultipartFile>& files,
                                            const Pairs& headers) {
  const std::unique_ptr<curl_mime, MimeFree> mime(curl_mime_init(curl_.get()));
  for (const auto& [name, value] : fields) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_name(part, name.c_str());
    curl_mime_data(part, value.data(), value.size());
  }
  for (const MultipartFile& file : files) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_name(part, file.field.c_str());
    // filedata streams the file from disk during the transfer (and names the part after it).
    if (curl_mime_filedata(part, file.path.c_str()) != CURLE_OK) {
      HttpResponse response;
      response.error = "cannot attach " + file.path.string();
      return response;
    }
    if (!file.filename.empty()) curl_mime_filename(part, file.filename.c_str());
    curl_mime_type(
        part, file.content_type.empty() ? "application/octet-stream" : file.content_type.c_str());
  }
  return Perform(curl_.get(), port_, timeout_,
                 {.method = "POST", .path = path, .headers = &headers, .mime = mime.get()});
}

HttpResponse HttpClient::Request(std::string_view method, std::string_view path,
                                 std::string_view body, std::string_view content_type,
                                 const Pairs& headers) {
  std::optional<std::string_view> sent_body;
  if (!body.empty() || method == "POST") sent_body = body;
  return Perform(curl_.get(), port_, timeout_,
                 {.method = method,
                  .path = path,
                  .body = sent_body,
                  .content_type = content_type,
                  .headers = &headers});
}

rapidjson::Document HttpResponse::Json() const {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError()) doc.SetNull();
  return doc;
}

std::string HttpResponse::Header(std::string_view name) const {
  const auto it = headers.find(Lower(name));
  return it == headers.end() ? std::string() : it->second;
}

std::string HttpResponse::Describe() const {
  constexpr std::size_t kMaxBody = 600;
  std::string out = "HTTP " + std::to_string(status);
  if (!error.empty()) out += " (" + error + ")";
  out += ", body: " + body.substr(0, kMaxBody);
  if (body.size() > kMaxBody) out += "...";
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string WithQuery(std::string_view path, const Pairs& params) {
  std::string out(path);
  if (!params.empty()) out += (out.find('?') == std::string::npos ? "?" : "&") + FormEncode(params);
  return out;
}

std::string ToJson(const Pairs& string_fields) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  for (const auto& [name, value] : string_fields) {
    writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  writer.EndObject();
  return buffer.GetString();
}

// ---- JSON --------------------------------------------------------------------------------

const rapidjson::Value* JsonAt(const rapidjson::Value& root, std::string_view path) {
  const rapidjson::Value* current = &root;
  while (!path.empty()) {
    const auto dot = path.find('.');
    const std::string step(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (current->IsObject()) {
      const auto member = current->FindMember(step.c_str());
      if (member == current->MemberEnd()) return nullptr;
      current = &member->value;
    } else if (current->IsArray() && !step.empty() &&
               std::all_of(step.begin(), step.end(), [](char c) { return std::isdigit(c); })) {
      const auto index = std::stoul(step);
      if (index >= current->Size()) return nullptr;
      current = &(*current)[static_cast<rapidjson::SizeType>(index)];
    } else {
      return nullptr;
    }
  }
  return current;
}

std::optional<std::int64_t> JsonInt(const rapidjson::Value& root, std::string_view path) {
  const rapidjson::Value* value = JsonAt(root, path);
  if (value == nullptr || !value->IsInt64()) return std::nullopt;
  return value->GetInt64();
}

std::optional<double> JsonNumber(const rapidjson::Value& root, std::string_view path) {
  const rapidjson::Value* value = JsonAt(root, path);
  if (value == nullptr || !value->IsNumber()) return std::nullopt;
  return value->GetDouble();
}

std::optional<std::string> JsonString(const rapidjson::Value& root, std::string_view path) {
  const rapidjson::Value* value = JsonAt(root, path);
  if (value == nullptr || !value->IsString()) return std::nullopt;
  return std::string(value->GetString(), value->GetStringLength());
}

std::optional<bool> JsonBool(const rapidjson::Value& root, std::string_view path) {
  const rapidjson::Value* value = JsonAt(root, path);
  if (value == nullptr || !value->IsBool()) return std::nullopt;
  return value->GetBool();
}

std::optional<std::int64_t> DouyinStatusCode(const HttpResponse& response) {
  return JsonInt(response.Json(), "status_code");
}

std::string ApiReason(const HttpResponse& response) {
  return JsonString(response.Json(), "reason").value_or("");
}

// ---- Tokens ------------------------------------------------------------------------------

namespace {

void EnsureSodium() {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(message), message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::string HmacSha512(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha512_state state;
  unsigned char mac[crypto_auth_hmacsha512_BYTES];
  crypto_auth_hmacsha512_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha512_update(&state, Bytes(message), message.size());
  crypto_auth_hmacsha512_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

}  // namespace

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Base64UrlEncode(std::string_view bytes) {
  EnsureSodium();
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), kVariant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  EnsureSodium();
  std::string out(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string MakeJwt(std::string_view header_json, std::string_view payload_json,
                    std::string_view secret, JwtMac mac) {
  EnsureSodium();
  const std::string signing_input =
      Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
  const std::string signature =
      mac == JwtMac::kHs512 ? HmacSha512(secret, signing_input) : HmacSha256(secret, signing_input);
  return signing_input + "." + Base64UrlEncode(signature);
}

rapidjson::Document JwtPart(std::string_view token, int index) {
  rapidjson::Document doc;
  for (int i = 0; i < index; ++i) {
    const auto dot = token.find('.');
    if (dot == std::string_view::npos) return doc;
    token.remove_prefix(dot + 1);
  }
  const std::optional<std::string> json = Base64UrlDecode(token.substr(0, token.find('.')));
  if (!json) return doc;
  doc.Parse(json->data(), json->size());
  if (doc.HasParseError()) doc.SetNull();
  return doc;
}

// ---- Sessions ----------------------------------------------------------------------------

namespace {

DouyinSession DouyinAuth(HttpClient& client, std::string_view route, std::string_view name,
                         std::string_view password) {
  const HttpResponse response = client.PostForm(
      route, {{"username", std::string(name)}, {"password", std::string(password)}});
  const rapidjson::Document doc = response.Json();
  if (response.status != 200 || JsonInt(doc, "status_code") != 0) {
    ADD_FAILURE() << route << " as '" << name << "' failed: " << response.Describe();
    return {};
  }
  return {JsonInt(doc, "user_id").value_or(0), JsonString(doc, "token").value_or("")};
}

ApiSession ApiAuth(HttpClient& client, std::string_view route, std::string_view name,
                   std::string_view password) {
  const HttpResponse response = client.PostJson(
      route, ToJson({{"username", std::string(name)}, {"password", std::string(password)}}));
  const rapidjson::Document doc = response.Json();
  if (response.status != 200) {
    ADD_FAILURE() << route << " as '" << name << "' failed: " << response.Describe();
    return {};
  }
  return {JsonInt(doc, "user_id").value_or(0), JsonString(doc, "access_token").value_or(""),
          JsonString(doc, "refresh_token").value_or("")};
}

}  // namespace

DouyinSession RegisterDouyin(HttpClient& client, std::string_view name, std::string_view password) {
  return DouyinAuth(client, "/douyin/user/register/", name, password);
}

DouyinSession LoginDouyin(HttpClient& client, std::string_view name, std::string_view password) {
  return DouyinAuth(client, "/douyin/user/login/", name, password);
}

ApiSession RegisterApi(HttpClient& client, std::string_view name, std::string_view password) {
  return ApiAuth(client, "/api/user/register", name, password);
}

ApiSession LoginApi(HttpClient& client, std::string_view name, std::string_view password) {
  return ApiAuth(client, "/api/user/login", name, password);
}

}  // namespace reel::e2e
