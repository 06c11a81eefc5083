#pragma once
// gRPC metrics (issue 21), both sides: calls by full method and gRPC code, latency, the
// client's retries and its breaker (AdaptiveThrottle). Method names come from the protos
// (a bounded set); a call to a method the server does not know is counted as "unknown".

#include <grpcpp/support/server_interceptor.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kit/metrics/metrics.hpp"
#include "kit/rpc/adaptive_throttle.hpp"

namespace reel::rpc {

/// "OK", "NOT_FOUND", ...: the code's name as gRPC's documentation spells it.
std::string_view CodeName(grpc::StatusCode code);

/// The interceptors GrpcServer installs: reel_rpc_server_handled_total{method,code} and
/// reel_rpc_server_duration_seconds{method}.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
ServerMetricsInterceptors();

/// A client's figures for one dependency ("user"): what RpcCaller records for each call,
/// and its breaker's rejection probability, sampled at each scrape.
class ClientMetrics {
 public:
  ClientMetrics(std::string target, const AdaptiveThrottle& breaker);

  /// A finished call (its last attempt's code) and its time, retries included.
  void Call(std::string_view method, grpc::StatusCode code, double seconds);
  void Retry(std::string_view method);
  /// The breaker refused a call without sending it.
  void Throttled();

 private:
  const std::string target_;
  prometheus::Counter& throttled_;
  metrics::ScrapeHook breaker_state_;
};

}  // namespace reel::rpc
