#pragma once

#include <filesystem>
#include <string>

#include "kit/redis/redis_options.hpp"

// Redis for tests: the suite's server (scripts/engines, started once per ctest run by the
// "redis" fixture in cmake/reel_test.cmake, for targets with ENGINE redis), shared by tests
// running in parallel, so each keeps to keys and channels of its own; or a server of the
// test's own, for the tests that kill, stop or restart it.
namespace reel::redis::testing {

/// Options for the suite's server, read from the directory REEL_TEST_REDIS_DIR names, with
/// timeouts suited to tests. Throws std::runtime_error saying how to get one when it is
/// unset (a test run outside ctest) or holds no server.
RedisOptions SuiteRedisOptions();

/// A prefix no other test (process) uses: "t:<pid>:<suite>.<test>:".
std::string UniquePrefix();

/// Options for the server `scripts/engines redis start` set up in `dir`.
RedisOptions OptionsFor(const std::filesystem::path& dir);

/// A redis-server of this test's own in a fresh temporary directory: started when made,
/// stopped and removed when it goes. Start() after Kill() or Stop() brings it back on the
/// same port with the same password, so clients made before reach it again.
class OwnRedis {
 public:
  OwnRedis();
  ~OwnRedis();
  OwnRedis(const OwnRedis&) = delete;
  OwnRedis& operator=(const OwnRedis&) = delete;

  RedisOptions Options() const { return OptionsFor(dir_); }
  /// The server's process id (for SIGSTOP / SIGCONT).
  int Pid() const;
  /// scripts/engines redis start|stop|kill: throws std::runtime_error when it fails.
  void Start();
  void Stop();
  void Kill();

 private:
  void Engines(const std::string& command);
  std::filesystem::path dir_;
};

}  // namespace reel::redis::testing
