// End-to-end test harness: runs the real `reel` binary as a child process on a free port with
// a temp data dir, and talks to it over HTTP on 127.0.0.1 only.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reel::e2e {

/// Ordered name/value pairs (duplicates allowed): request headers, form fields, query params.
using Pairs = std::vector<std::pair<std::string, std::string>>;

/// Largest id the server may hand out: ids must stay exact in JavaScript and in doubles.
inline constexpr std::int64_t kMaxSafeId = (std::int64_t{1} << 53) - 1;

/// Path of the binary under test (the build passes it in).
std::string ReelBinary();

/// A fresh directory made by mkdtemp under /tmp; it and everything in it is removed on
/// destruction. Throws std::system_error when the directory cannot be made.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& Path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Returns a port on 127.0.0.1 that was free a moment ago (bound to port 0 and released), or 0.
/// Another process may take it before the server binds it; ReelServer::Start() retries.
int PickFreePort();

/// What a one-shot run of the binary did.
struct ProcessResult {
  std::optional<int> exit_code{};  ///< exit code, 128+signal if killed; nullopt on timeout
  std::string out{};               ///< everything written to stdout
  std::string err{};               ///< everything written to stderr
};

/// Runs `reel <args...>` to completion with the harness environment (see ServerOptions::env)
/// plus `env`. A run still going after `timeout` is killed and reported with no exit code.
ProcessResult RunReel(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env = {},
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// How ReelServer starts the binary.
struct ServerOptions {
  /// Environment added to the inherited one; overrides the harness defaults
  /// (REEL_AUTH_ARGON2_MEMORY_KIB=8192, REEL_AUTH_ARGON2_OPS=1, REEL_LOG_FORMAT=json).
  /// Inherited REEL_* variables are never passed on, so runs do not depend on the shell.
  std::map<std::string, std::string> env{};
  /// Arguments appended after `all --host 127.0.0.1 --port P --data-dir D`.
  std::vector<std::string> args{};
  /// Data directory to use (and leave in place) instead of a fresh one, e.g. to start a
  /// second server on the data of a first one.
  std::filesystem::path data_dir{};
  /// How long GET /healthz may take to answer 200 before Start() gives up.
  std::chrono::milliseconds ready_timeout = std::chrono::seconds(10);
};

/// One `reel all` child process. Start() launches it; the destructor stops it (SIGTERM, then
/// SIGKILL after 5 s), prints the tail of its log if the current test failed, and removes the
/// temp dir. The child gets SIGKILL if the thread that started it dies, so start servers from
/// the test's main thread. Not thread-safe; HttpClients on other threads may use it freely.
class ReelServer {
 public:
  explicit ReelServer(ServerOptions options = {});
  ~ReelServer();
  ReelServer(const ReelServer&) = delete;
  ReelServer& operator=(const ReelServer&) = delete;

  /// Starts the binary and waits until GET /healthz answers 200 from this very process (it
  /// must own the listening socket, so another server on a reused port does not count).
  /// Tries another port, up to 3 attempts, when the child exits saying its address is in use.
  /// Calling Start() again after Stop() restarts on the same data dir, on a new port.
  /// The failure message carries the log tail.
  ::testing::AssertionResult Start();

  /// Sends SIGTERM, waits up to `grace`, then SIGKILL. Returns the exit status as WaitExit()
  /// does, or nullopt if the server was never started.
  std::optional<int> Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  /// Sends `sig` to the child; false if it is not running.
  bool Signal(int sig);

  /// Waits up to `timeout` for the child to exit. Returns its exit code (128+signal when a
  /// signal ended it), or nullopt if it is still running.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);

  /// True between a successful start and the child's exit.
  bool Running() const { return pid_ > 0 && !exit_status_; }

  int Port() const { return port_; }
  std::string BaseUrl() const;
  const std::filesystem::path& DataDir() const { return data_dir_; }
  /// File receiving the child's stdout and stderr (all runs of this object, appended).
  const std::filesystem::path& LogPath() const { return log_path_; }
  pid_t Pid() const { return pid_; }

  /// Whole log so far.
  std::string Log() const;
  /// Last `lines` lines of the log.
  std::string LogTail(std::size_t lines = 40) const;

 private:
  enum class Outcome { kReady, kExited, kTimedOut };
  Outcome WaitReady();

  ServerOptions options_;
  std::unique_ptr<TempDir> temp_dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;  // set once the child has been reaped
};

/// One HTTP response. `status` is 0 when the exchange failed below HTTP (refused, reset,
/// timed out); `error` then says why.
struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers{};  ///< lower-case names; repeats joined by ", "
  std::string body{};
  std::string error{};

  /// Body parsed as JSON; a null document (HasParseError() true) when it is not JSON.
  rapidjson::Document Json() const;
  /// Value of header `name` (any case), "" when absent.
  std::string Header(std::string_view name) const;
  /// Short description for failure messages: status, error and the start of the body.
  std::string Describe() const;
};

/// A file part of a multipart/form-data body. The bytes are streamed from `path` while the
/// request is sent, so a large file is never held in memory.
struct MultipartFile {
  std::string field{};
  std::filesystem::path path{};
  std::string filename{};      ///< sent in Content-Disposition; empty sends the path's name
  std::string content_type{};  ///< empty sends application/octet-stream
};

/// HTTP/1.1 client for a server on 127.0.0.1:`port` (it never connects anywhere else, never
/// uses a proxy, never follows redirects, and sends paths as given, dot segments included). Reuses
/// its connection between requests. Use one client per thread. Requests time out after 10 s unless
/// SetTimeout() says otherwise.
class HttpClient {
 public:
  explicit HttpClient(int port);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  /// `path` starts with '/' and may carry a query string (see WithQuery()).
  HttpResponse Get(std::string_view path, const Pairs& headers = {});
  /// POST with an application/x-www-form-urlencoded body.
  HttpResponse PostForm(std::string_view path, const Pairs& fields, const Pairs& headers = {});
  /// POST with an application/json body, sent as given.
  HttpResponse PostJson(std::string_view path, std::string_view json, const Pairs& headers = {});
  /// POST with a multipart/form-data body of plain text fields.
  HttpResponse PostMultipart(std::string_view path, const Pairs& fields, const Pairs& headers = {});
  /// POST with a multipart/form-data body: the text `fields`, then the `files` parts. A file
  /// that cannot be opened fails the exchange (status 0). Named apart from PostMultipart so
  /// that a braced list as third argument is never ambiguous.
  HttpResponse PostMultipartFiles(std::string_view path, const Pairs& fields,
                                  const std::vector<MultipartFile>& files,
                                  const Pairs& headers = {});
  /// Any method. The body is sent when non-empty (and always for POST); no Content-Type header
  /// is sent when `content_type` is empty. A header with an empty value is sent empty.
  HttpResponse Request(std::string_view method, std::string_view path, std::string_view body = {},
                       std::string_view content_type = {}, const Pairs& headers = {});

  void SetTimeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
  int Port() const { return port_; }

 private:
  struct CurlCleanup {
    void operator()(void* handle) const;
  };
  int port_;
  std::chrono::milliseconds timeout_ = std::chrono::seconds(10);
  std::unique_ptr<void, CurlCleanup> curl_;
};

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view text);
/// `path?name=value&...` with names and values percent-encoded.
std::string WithQuery(std::string_view path, const Pairs& params);
/// A JSON object whose members are the given strings, properly escaped.
std::string ToJson(const Pairs& string_fields);

/// The value at a dotted path ("user.id", "video_list.0.id": digits index arrays), or nullptr
/// when any step is missing or of the wrong kind.
const rapidjson::Value* JsonAt(const rapidjson::Value& root, std::string_view path);
/// The value at `path` when it is a JSON integer (a number written with a fraction or
/// exponent is not), else nullopt.
std::optional<std::int64_t> JsonInt(const rapidjson::Value& root, std::string_view path);
/// The value at `path` when it is any JSON number.
std::optional<double> JsonNumber(const rapidjson::Value& root, std::string_view path);
std::optional<std::string> JsonString(const rapidjson::Value& root, std::string_view path);
std::optional<bool> JsonBool(const rapidjson::Value& root, std::string_view path);

/// `status_code` of a Douyin response; nullopt when missing or not an integer.
std::optional<std::int64_t> DouyinStatusCode(const HttpResponse& response);
/// `reason` of an /api error body, "" when absent.
std::string ApiReason(const HttpResponse& response);

/// Seconds since the Unix epoch.
std::int64_t UnixNow();

std::string Base64UrlEncode(std::string_view bytes);
/// Decodes unpadded base64url; nullopt on invalid input.
std::optional<std::string> Base64UrlDecode(std::string_view text);

/// MAC used to sign a forged JWT (independent of what its header claims).
enum class JwtMac { kHs256, kHs512 };

/// A compact JWT: base64url(header).base64url(payload).base64url(MAC), the MAC keyed with
/// `secret` of any length. Lets tests forge tokens the server must accept or refuse.
std::string MakeJwt(std::string_view header_json, std::string_view payload_json,
                    std::string_view secret, JwtMac mac = JwtMac::kHs256);
/// Part `index` of a JWT (0 header, 1 payload) decoded and parsed; a null document if the
/// token has no such part or it is not base64url JSON.
rapidjson::Document JwtPart(std::string_view token, int index);

/// A user signed in through the Douyin API.
struct DouyinSession {
  std::int64_t user_id = 0;
  std::string token{};
};

/// POST /douyin/user/register/ with a form body. On refusal adds a (non-fatal) test failure
/// and returns user_id 0.
DouyinSession RegisterDouyin(HttpClient& client, std::string_view name, std::string_view password);
/// POST /douyin/user/login/, same failure handling as RegisterDouyin().
DouyinSession LoginDouyin(HttpClient& client, std::string_view name, std::string_view password);

/// A user signed in through the JSON API.
struct ApiSession {
  std::int64_t user_id = 0;
  std::string access_token{};
  std::string refresh_token{};
};

/// POST /api/user/register. On refusal adds a (non-fatal) test failure and returns user_id 0.
ApiSession RegisterApi(HttpClient& client, std::string_view name, std::string_view password);
/// POST /api/user/login, same failure handling as RegisterApi().
ApiSession LoginApi(HttpClient& client, std::string_view name, std::string_view password);

/// Fixture that starts a fresh server before each test and gives a client for it; a failed
/// start fails the test before its body runs.
class ServerTest : public ::testing::Test {
 protected:
  /// Override to start the server differently.
  virtual ServerOptions Options() const { return {}; }
  void SetUp() override;

  ReelServer& Server() { return *server_; }
  HttpClient& Client() { return *client_; }

 private:
  std::unique_ptr<ReelServer> server_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace reel::e2e
