#include "kit/redis/testing/test_redis.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#ifndef REEL_ENGINES_SCRIPT
#error "REEL_ENGINES_SCRIPT must name scripts/engines"
#endif

namespace reel::redis::testing {
namespace {

std::string FirstLine(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string TestName() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "none";
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  std::replace(name.begin(), name.end(), '/', '_');
  return name;
}

}  // namespace

RedisOptions OptionsFor(const std::filesystem::path& dir) {
  const std::string port = FirstLine(dir / "port");
  RedisOptions options;
  options.password = FirstLine(dir / "password");
  if (port.empty() || options.password.empty()) {
    throw std::runtime_error("no Redis set up in " + dir.string() +
                             " (scripts/engines redis start " + dir.string() + ")");
  }
  options.endpoint.host = "127.0.0.1";
  options.endpoint.port = std::stoi(port);
  options.connect_timeout = std::chrono::milliseconds(500);
  options.command_timeout = std::chrono::milliseconds(1000);
  options.pool_size = 4;
  options.pool_wait = std::chrono::milliseconds(2000);
  options.reconnect_min = std::chrono::milliseconds(20);
  options.reconnect_max = std::chrono::milliseconds(200);
  return options;
}

RedisOptions SuiteRedisOptions() {
  const char* dir = std::getenv("REEL_TEST_REDIS_DIR");
  if (dir == nullptr || *dir == '\0') {
    throw std::runtime_error(
        "REEL_TEST_REDIS_DIR is not set: run the test through ctest (its \"redis\" fixture "
        "starts the suite's server), or start one with `scripts/engines redis start DIR` and "
        "set REEL_TEST_REDIS_DIR=DIR");
  }
  return OptionsFor(dir);
}

std::string UniquePrefix() {
  return "t:" + std::to_string(getpid()) + ":" + TestName() + ":";
}

OwnRedis::OwnRedis()
    : dir_(std::filesystem::path(::testing::TempDir()) /
           ("reel_redis_" + std::to_string(getpid()) + "_" + TestName())) {
  std::filesystem::remove_all(dir_);
  Start();
}

OwnRedis::~OwnRedis() {
  try {
    Engines("stop");
  } catch (const std::exception&) {
    // Nothing more to do in a destructor; the directory goes anyway.
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
  // The engines log stays when the test failed: it may say why.
  if (!::testing::Test::HasFailure()) std::filesystem::remove(dir_.string() + ".log", ignored);
}

int OwnRedis::Pid() const {
  return std::stoi(FirstLine(dir_ / "redis.pid"));
}

void OwnRedis::Start() {
  Engines("start");
}

void OwnRedis::Stop() {
  Engines("stop");
}

void OwnRedis::Kill() {
  Engines("kill");
}

void OwnRedis::Engines(const std::string& command) {
  // Its output goes to a log beside the directory, not into the test's.
  const std::string line = std::string(REEL_ENGINES_SCRIPT) + " redis " + command + " '" +
                           dir_.string() + "' >>'" + dir_.string() + ".log' 2>&1";
  if (std::system(line.c_str()) != 0) {
    throw std::runtime_error("scripts/engines redis " + command + " " + dir_.string() +
                             " failed: see " + dir_.string() + ".log");
  }
}

}  // namespace reel::redis::testing
