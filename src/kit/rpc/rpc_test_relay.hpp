#pragma once

// Test support: an EventRelay service whose behaviour the test controls, and a gRPC server
// around it on 127.0.0.1.

#include <grpcpp/server_context.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kit/rpc/grpc_server.hpp"
#include "relay_test.grpc.pb.h"

namespace reel::rpc::testing {

/// Counts calls, optionally stalls (until the client gives up) and answers with a chosen
/// status. Each call appends `name` to `log` when one is given, so tests can see which
/// server of several took which call.
class TestRelay final : public rpc_test::v1::Relay::Service {
 public:
  explicit TestRelay(std::string name = "", std::vector<std::string>* log = nullptr,
                     std::mutex* log_mu = nullptr)
      : name_(std::move(name)), log_(log), log_mu_(log_mu) {}

  grpc::Status Deliver(grpc::ServerContext* context, const rpc_test::v1::Note*,
                       rpc_test::v1::Ack*) override {
    ++hits;
    if (log_ != nullptr) {
      std::lock_guard lock(*log_mu_);
      log_->push_back(name_);
    }
    // Stall in small steps so a cancelled call does not hold the server's shutdown.
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms);
    for (int step = 0; step < 1000 && std::chrono::steady_clock::now() < until; ++step) {
      if (context->IsCancelled()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::lock_guard lock(mu_);
    return answer_ ? *answer_ : grpc::Status::OK;
  }

  void AnswerWith(grpc::Status status) {
    std::lock_guard lock(mu_);
    answer_ = std::move(status);
  }

  std::atomic<int> hits{0};
  std::atomic<int> delay_ms{0};

 private:
  const std::string name_;
  std::vector<std::string>* const log_;
  std::mutex* const log_mu_;
  std::mutex mu_;
  std::optional<grpc::Status> answer_;
};

/// A started GrpcServer serving `relay` on 127.0.0.1:`port` (0: any free port).
inline std::unique_ptr<GrpcServer> StartRelayServer(TestRelay& relay, int port = 0) {
  auto server =
      std::make_unique<GrpcServer>("127.0.0.1", port, std::vector<grpc::Service*>{&relay});
  server->Start();
  return server;
}

inline std::string LocalAddress(int port) {
  return "127.0.0.1:" + std::to_string(port);
}

}  // namespace reel::rpc::testing
