// Runs the real `reel` binary as a child process on a free port with a temp data dir: one-shot
// runs (RunReel), long-lived servers (ReelServer) and the ServerTest fixture.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"

namespace reel::e2e {

/// Path of the binary under test (the build passes it in).
std::string ReelBinary();

/// True when the suite runs against a local cluster (environment E2E_TARGET=cluster): then
/// ReelServer runs `scripts/cluster` (the `reel serve` processes behind the nginx edge)
/// instead of `reel all`, and Port()/BaseUrl() are the edge's. Tests that only make sense
/// on one process (server internals, its data directory) skip themselves:
///   if (ClusterMode()) GTEST_SKIP() << "one-process test";
bool ClusterMode();

/// The extra scripts/cluster arguments of this run (environment E2E_CLUSTER_ARGS, split on
/// white space), e.g. "--engines-from <pair dir> --replicas 2" in the e2e-engines run. Set
/// and not empty, it means cluster mode too.
std::vector<std::string> ClusterArgs();
/// True when the cluster runs on real engines (MariaDB): tests that inspect SQLite files or
/// depend on one process per service skip themselves there.
bool EnginesMode();
/// The replicas of each service the cluster runs (--replicas in E2E_CLUSTER_ARGS, else 1).
int ClusterReplicas();

/// What events do reaches search and the cascades of deleted videos a moment after the
/// write answers in a cluster (consumers read the bus), and before it answers in `reel all`.
/// So a test reads again until `done(value)` holds or `limit` passes, and checks the last
/// value read: `EXPECT_EQ(Settled([&] { return Found("x"); }, Ids{id}), Ids{id})`.
template <typename Read, typename Want>
auto Settled(Read read, const Want& want, std::chrono::milliseconds limit = std::chrono::seconds(5))
    -> decltype(read()) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  auto value = read();
  while (!(value == want) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    value = read();
  }
  return value;
}

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

/// Runs `program <args...>` to completion like RunReel (same environment rules).
ProcessResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// How ReelServer starts the binary.
struct ServerOptions {
  /// Environment added to the inherited one; overrides the harness defaults
  /// (REEL_AUTH_ARGON2_MEMORY_KIB=8192, REEL_AUTH_ARGON2_OPS=1, REEL_LOG_FORMAT=json).
  /// Inherited REEL_* variables are never passed on, so runs do not depend on the shell.
  std::map<std::string, std::string> env{};
  /// Arguments appended after `all --host 127.0.0.1 --port P --data-dir D` (one process only:
  /// a cluster refuses to start with any).
  std::vector<std::string> args{};
  /// Data directory to use (and leave in place) instead of a fresh one, e.g. to start a
  /// second server on the data of a first one.
  std::filesystem::path data_dir{};
  /// Cluster mode: scripts/cluster arguments instead of E2E_CLUSTER_ARGS (a test that needs
  /// an engine pair of its own, to stop it).
  std::optional<std::vector<std::string>> cluster_args{};
  /// How long GET /healthz may take to answer 200 before Start() gives up.
  std::chrono::milliseconds ready_timeout = std::chrono::seconds(10);
};

/// One `reel all` child process. Start() launches it; the destructor stops it (SIGTERM, then
/// SIGKILL after 5 s), prints the tail of its log if the current test failed, and removes the
/// temp dir. The child gets SIGKILL if the thread that started it dies, so start servers from
/// the test's main thread. Not thread-safe; HttpClients on other threads may use it freely.
///
/// In cluster mode (ClusterMode()) it is a whole local cluster instead, in the temp dir: the
/// same calls start it (`scripts/cluster start`, every service ready), stop it
/// (`scripts/cluster stop`), signal every process of it; DataDir() is the cluster directory
/// (its media/ is the shared object store), Log() every service's log, Pid() the edge's.
/// The cluster stops itself when the test process dies.
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
  /// Where the media objects are on disk: DataDir()/media, or on a cluster whose engines
  /// include an S3 server (--engines-from D with D/s3), its bucket's directory in s3rver's
  /// store (each object a file "<key>._S3rver_object", see MediaKeyOf).
  std::filesystem::path MediaDir() const;
  /// Whether the media live in S3 (then MediaDir() is s3rver's store).
  bool MediaInS3() const;
  /// File receiving the child's stdout and stderr (all runs of this object, appended).
  const std::filesystem::path& LogPath() const { return log_path_; }
  pid_t Pid() const { return pid_; }

  /// Whole log so far.
  std::string Log() const;
  /// Last `lines` lines of the log.
  std::string LogTail(std::size_t lines = 40) const;

  /// Cluster mode: runs `scripts/cluster --dir <this cluster> <args...>` (e.g. {"kill",
  /// "favorite"}, {"restart", "favorite"}) to completion, or kills it after `timeout`.
  ProcessResult RunClusterScript(const std::vector<std::string>& args,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(60));

  /// Waits until every consumer group of the cluster's bus has consumed everything published
  /// (`reel job status`: lag and pending 0), at most `limit`; whether it got there. In `reel
  /// all` at once: its consumers ran before each write answered.
  bool WaitForEvents(std::chrono::milliseconds limit = std::chrono::seconds(5));
  /// Every process's own HTTP port by name ("all"; in a cluster "user", "video.2", ...),
  /// from `scripts/cluster status`; the edge is not one of them.
  std::map<std::string, int> ProcessPorts();

 private:
  enum class Outcome { kReady, kExited, kTimedOut };
  Outcome WaitReady();
  ::testing::AssertionResult StartCluster();
  std::optional<int> StopCluster();
  // Pids the cluster's pid files name (services and edge) that still run.
  std::vector<pid_t> ClusterPids() const;
  pid_t EdgePid() const;  // 0 when the edge is not running
  // The database prefix of this cluster on a shared engine pair (from its directory).
  std::string DatabasePrefix() const;
  std::string ClusterLog(std::size_t lines_per_log) const;

  ServerOptions options_;
  std::unique_ptr<TempDir> temp_dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;  // set once the child has been reaped
  bool cluster_ = false;            // ClusterMode() when constructed
};

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
