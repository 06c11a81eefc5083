#pragma once

#include <grpcpp/channel.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kit/rpc/rpc_config.hpp"

namespace reel::rpc {

class EtcdClient;

/// The instances of one service a client may call, picked round robin. Thread-safe.
class ChannelSet {
 public:
  virtual ~ChannelSet() = default;
  /// The next instance's channel, or null when none is known right now.
  virtual std::shared_ptr<grpc::Channel> Pick() = 0;
  /// The addresses currently known (for logs and tests).
  virtual std::vector<std::string> Addresses() const = 0;
  /// A call on `channel` (from Pick) failed in transport. A set of several instances leaves
  /// that one out of Pick for a while, so one dead replica costs a process one failed call
  /// rather than every N-th (writes are never retried). True when another instance is awake
  /// to take the calls: the failure was the instance's, not the service's, and is not the
  /// breaker's to count (a fresh breaker one failure old refuses half of all calls).
  virtual bool ReportFailure(const grpc::Channel* /*channel*/) { return false; }
};

/// A channel to one "host:port" (or any gRPC target) as reel clients use them: insecure,
/// modest keepalive, gRPC's own retries off (RpcCaller retries reads itself), reconnect
/// backoff capped at a few seconds so a restarted instance is found again quickly. Lazy:
/// it does not connect until the first call, so a client can be built before its service
/// is up. `lb_policy` empty: gRPC's default (pick_first).
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target,
                                           const std::string& lb_policy = "");

/// A fixed list of channels, or one whose list is replaced as discovery reports changes.
/// Channels for addresses that stay are kept (connections survive an update). Duplicate
/// addresses are kept once; order is preserved.
///
/// An instance reported failed rests for `rest` (1 s by default: gRPC's reconnect backoff
/// starts at 200 ms, so a restarted replica is back within about a second); Pick skips
/// resting instances while any other is awake, and picks round robin anyway when all rest.
class DynamicChannelSet final : public ChannelSet {
 public:
  explicit DynamicChannelSet(std::vector<std::string> addresses = {},
                             std::chrono::milliseconds rest = std::chrono::seconds(1));
  void Update(std::vector<std::string> addresses);
  std::shared_ptr<grpc::Channel> Pick() override;
  std::vector<std::string> Addresses() const override;
  bool ReportFailure(const grpc::Channel* channel) override;

 private:
  struct Instance {
    std::string address;
    std::shared_ptr<grpc::Channel> channel;
    std::chrono::steady_clock::time_point resting_until{};
  };

  const std::chrono::milliseconds rest_;
  mutable std::mutex mu_;
  std::vector<Instance> instances_;
  std::size_t next_ = 0;
};

/// Builds the channel set for `service` from its target:
/// - "host:port[,host:port...]": static instances, round robin over them;
/// - "dns:///name:port": one channel that resolves the name (a Kubernetes headless service)
///   and balances over every address with gRPC's round_robin policy;
/// - "etcd": the instances registered under `<config.etcd_prefix><service>/`, kept current
///   by a watch (`etcd` must be non-null).
/// Errors (a malformed target) throw std::invalid_argument naming the service and target.
std::unique_ptr<ChannelSet> MakeChannelSet(const std::string& service, const std::string& target,
                                           const RpcConfig& config, EtcdClient* etcd);

}  // namespace reel::rpc
