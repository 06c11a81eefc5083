// A cluster with two replicas of every service on engines of the test's own (a MariaDB
// primary and replica, Redis), so a test may kill, stop and restart them without failing
// the other tests of the run, which share the suite's engines. Only in the e2e-engines run.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "interactions_api_fixture.hpp"

#ifndef REEL_ENGINES_SCRIPT
#error "REEL_ENGINES_SCRIPT must name scripts/engines (set by tests/e2e/CMakeLists.txt)"
#endif

namespace reel::e2e {

/// scripts/engines <engine> <args...>.
inline ProcessResult Engine(const std::string& engine, const std::vector<std::string>& args) {
  std::vector<std::string> command = {engine};
  command.insert(command.end(), args.begin(), args.end());
  return RunProgram(REEL_ENGINES_SCRIPT, command, std::chrono::seconds(90));
}

class OwnEnginesClusterTest : public ApiInteractionTest {
 protected:
  void SetUp() override {
    if (!EnginesMode() || ClusterReplicas() < 2) {
      GTEST_SKIP() << "engines test: runs in the e2e-engines run (E2E_CLUSTER_ARGS with "
                      "--engines-from and --replicas 2)";
    }
    primary_ = (engines_.Path() / "mariadb-primary").string();
    replica_ = (engines_.Path() / "mariadb-replica").string();
    redis_ = (engines_.Path() / "redis").string();
    const ProcessResult primary = Engine("mariadb", {"start", primary_});
    ASSERT_EQ(primary.exit_code, 0) << primary.out << primary.err;
    const ProcessResult replica = Engine("mariadb", {"start", replica_, "--replica-of", primary_});
    ASSERT_EQ(replica.exit_code, 0) << replica.out << replica.err;
    // Durable, as scripts/cluster --engines runs it: the event bus survives kill -9.
    const ProcessResult redis = Engine("redis", {"start", redis_, "--durable"});
    ASSERT_EQ(redis.exit_code, 0) << redis.out << redis.err;
    ApiInteractionTest::SetUp();
  }
  void TearDown() override {
    if (primary_.empty()) return;
    Server().Stop();  // the cluster first, then the engines under it
    Engine("redis", {"stop", redis_});
    Engine("mariadb", {"stop", replica_});
    Engine("mariadb", {"stop", primary_});
  }
  ServerOptions Options() const override {
    ServerOptions options = ApiInteractionTest::Options();
    options.cluster_args = {"--engines-from", engines_.Path().string(), "--replicas", "2"};
    return options;
  }

  /// scripts/cluster <args...> on this test's cluster; fails the test when it fails.
  void ClusterCommand(const std::vector<std::string>& args) {
    const ProcessResult run = Server().RunClusterScript(args);
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  }

  /// Polls `check` until it holds or `limit` passes; whether it held.
  static bool Eventually(const std::function<bool()>& check, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
      if (check()) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  TempDir engines_;
  std::string primary_;
  std::string replica_;
  std::string redis_;
};

}  // namespace reel::e2e
