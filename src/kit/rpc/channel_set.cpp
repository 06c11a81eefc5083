#include "kit/rpc/channel_set.hpp"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string_view>

#include "kit/rpc/etcd_client.hpp"

namespace reel::rpc {
namespace {

constexpr std::string_view kDnsScheme = "dns:///";

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// "host:port" or "[v6]:port" with a port in 1..65535.
bool IsHostPort(std::string_view address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view host = address.substr(0, colon);
  const std::string_view port_text = address.substr(colon + 1);
  if (host.find_first_of(" \t/,") != std::string_view::npos) return false;
  const bool bracketed = host.front() == '[';
  if (bracketed != (host.back() == ']')) return false;
  if (!bracketed && host.find(':') != std::string_view::npos) return false;
  if (bracketed && host.size() < 3) return false;
  int port = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  return error == std::errc() && end == port_text.data() + port_text.size() && port > 0 &&
         port <= 65535;
}

[[noreturn]] void ThrowMalformed(const std::string& service, const std::string& target,
                                 std::string_view why) {
  throw std::invalid_argument("gRPC target for " + service + " is malformed (" + std::string(why) +
                              "): \"" + target + "\"");
}

std::vector<std::string> ParseStaticTarget(const std::string& service, const std::string& target) {
  std::vector<std::string> addresses;
  std::string_view rest = target;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = Trim(rest.substr(0, comma));
    if (!IsHostPort(item)) ThrowMalformed(service, target, "expected host:port[,host:port...]");
    addresses.emplace_back(item);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return addresses;
}

// One channel that balances by itself (dns:/// with round_robin): Pick always gives it.
class SingleChannelSet final : public ChannelSet {
 public:
  SingleChannelSet(std::string target, std::shared_ptr<grpc::Channel> channel)
      : target_(std::move(target)), channel_(std::move(channel)) {}
  std::shared_ptr<grpc::Channel> Pick() override { return channel_; }
  std::vector<std::string> Addresses() const override { return {target_}; }

 private:
  const std::string target_;
  const std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target,
                                           const std::string& lb_policy) {
  grpc::ChannelArguments args;
  // Retries are RpcCaller's job (reads once, writes never); gRPC's own would double them.
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  // Find a half-dead connection (peer vanished without a FIN) while calls are in flight,
  // without pinging idle connections often enough for servers to call it abuse.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  // gRPC's default backoff grows to two minutes; a restarted instance should be found in
  // seconds.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  if (!lb_policy.empty()) args.SetLoadBalancingPolicyName(lb_policy);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

DynamicChannelSet::DynamicChannelSet(std::vector<std::string> addresses,
                                     std::chrono::milliseconds rest)
    : rest_(rest) {
  Update(std::move(addresses));
}

void DynamicChannelSet::Update(std::vector<std::string> addresses) {
  std::lock_guard lock(mu_);
  std::vector<Instance> updated;
  updated.reserve(addresses.size());
  for (std::string& address : addresses) {
    const auto same = [&address](const Instance& i) { return i.address == address; };
    if (std::any_of(updated.begin(), updated.end(), same)) continue;
    auto kept = std::find_if(instances_.begin(), instances_.end(), same);
    if (kept != instances_.end()) {
      updated.push_back(std::move(*kept));  // its connection and its rest, if it rests
      continue;
    }
    std::shared_ptr<grpc::Channel> channel = MakeChannel(address);
    updated.push_back(Instance{std::move(address), std::move(channel), {}});
  }
  instances_ = std::move(updated);
}

std::shared_ptr<grpc::Channel> DynamicChannelSet::Pick() {
  std::lock_guard lock(mu_);
  if (instances_.empty()) return nullptr;
  // next_ only grows; taken modulo the current size it stays fair across updates.
  const auto now = std::chrono::steady_clock::now();
  for (std::size_t tried = 0; tried < instances_.size(); ++tried) {
    const Instance& instance = instances_[next_++ % instances_.size()];
    if (instance.resting_until <= now) return instance.channel;
  }
  return instances_[next_++ % instances_.size()].channel;  // all rest: try one anyway
}

bool DynamicChannelSet::ReportFailure(const grpc::Channel* channel) {
  std::lock_guard lock(mu_);
  if (instances_.size() < 2) return false;  // nowhere else to go
  const auto now = std::chrono::steady_clock::now();
  bool another_awake = false;
  for (Instance& instance : instances_) {
    if (instance.channel.get() == channel) {
      instance.resting_until = now + rest_;
    } else if (instance.resting_until <= now) {
      another_awake = true;
    }
  }
  return another_awake;
}

std::vector<std::string> DynamicChannelSet::Addresses() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  out.reserve(instances_.size());
  for (const Instance& instance : instances_) out.push_back(instance.address);
  return out;
}

std::unique_ptr<ChannelSet> MakeChannelSet(const std::string& service, const std::string& target,
                                           const RpcConfig& config, EtcdClient* etcd) {
  if (target == "etcd") {
    if (etcd == nullptr) {
      throw std::invalid_argument("gRPC target for " + service +
                                  " is \"etcd\" but no etcd endpoints are configured");
    }
    return MakeEtcdChannelSet(service, config, *etcd);
  }
  if (std::string_view(target).substr(0, kDnsScheme.size()) == kDnsScheme) {
    if (!IsHostPort(std::string_view(target).substr(kDnsScheme.size()))) {
      ThrowMalformed(service, target, "expected dns:///name:port");
    }
    return std::make_unique<SingleChannelSet>(target, MakeChannel(target, "round_robin"));
  }
  return std::make_unique<DynamicChannelSet>(ParseStaticTarget(service, target));
}

}  // namespace reel::rpc
