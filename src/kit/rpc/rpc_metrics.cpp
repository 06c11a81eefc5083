#include "kit/rpc/rpc_metrics.hpp"

#include <array>
#include <chrono>

namespace reel::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;

prometheus::Family<prometheus::Counter>& ServerHandled() {
  static auto& family = metrics::CounterFamily(
      "reel_rpc_server_handled_total", "gRPC calls answered by this server, by method and code.");
  return family;
}
prometheus::Family<prometheus::Histogram>& ServerDuration() {
  static auto& family = metrics::HistogramFamily("reel_rpc_server_duration_seconds",
                                                 "gRPC server latency by method.");
  return family;
}

class ServerMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ServerMetricsInterceptor(const char* method)
      : method_(method ? method : ""), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::StatusCode code = methods->GetSendStatus().error_code();
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      // Whatever a client names reaches here; only methods the server has are labels.
      const std::string method = code == grpc::StatusCode::UNIMPLEMENTED ? "unknown" : method_;
      ServerHandled().Add({{"method", method}, {"code", std::string(CodeName(code))}}).Increment();
      ServerDuration().Add({{"method", method}}, metrics::LatencyBuckets()).Observe(seconds);
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  const std::chrono::steady_clock::time_point start_;
};

class ServerMetricsFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new ServerMetricsInterceptor(info->method());
  }
};

}  // namespace

std::string_view CodeName(grpc::StatusCode code) {
  static constexpr std::array<std::string_view, 17> kNames = {"OK",
                                                              "CANCELLED",
                                                              "UNKNOWN",
                                                              "INVALID_ARGUMENT",
                                                              "DEADLINE_EXCEEDED",
                                                              "NOT_FOUND",
                                                              "ALREADY_EXISTS",
                                                              "PERMISSION_DENIED",
                                                              "RESOURCE_EXHAUSTED",
                                                              "FAILED_PRECONDITION",
                                                              "ABORTED",
                                                              "OUT_OF_RANGE",
                                                              "UNIMPLEMENTED",
                                                              "INTERNAL",
                                                              "UNAVAILABLE",
                                                              "DATA_LOSS",
                                                              "UNAUTHENTICATED"};
  const auto index = static_cast<std::size_t>(code);
  return index < kNames.size() ? kNames[index] : "UNKNOWN";
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
ServerMetricsInterceptors() {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> out;
  out.push_back(std::make_unique<ServerMetricsFactory>());
  return out;
}

ClientMetrics::ClientMetrics(std::string target, const AdaptiveThrottle& breaker)
    : target_(std::move(target)),
      throttled_(metrics::CounterFamily("reel_rpc_client_throttled_total",
                                        "Calls the client's breaker refused without sending them.")
                     .Add({{"target", target_}})),
      breaker_state_(
          [&breaker,
           &ratio = metrics::GaugeFamily("reel_rpc_client_throttle_ratio",
                                         "The client breaker's probability of refusing a call now "
                                         "(0: closed).")
                        .Add({{"target", target_}})] { ratio.Set(breaker.RejectProbability()); }) {}

void ClientMetrics::Call(std::string_view method, grpc::StatusCode code, double seconds) {
  static auto& calls = metrics::CounterFamily(
      "reel_rpc_client_calls_total", "gRPC calls made by this process, by method and last code.");
  static auto& duration = metrics::HistogramFamily(
      "reel_rpc_client_duration_seconds", "gRPC client latency by method, retries included.");
  calls.Add({{"method", std::string(method)}, {"code", std::string(CodeName(code))}}).Increment();
  duration.Add({{"method", std::string(method)}}, metrics::LatencyBuckets()).Observe(seconds);
}

void ClientMetrics::Retry(std::string_view method) {
  static auto& retries = metrics::CounterFamily("reel_rpc_client_retries_total",
                                                "gRPC reads sent a second time, by method.");
  retries.Add({{"method", std::string(method)}}).Increment();
}

void ClientMetrics::Throttled() {
  throttled_.Increment();
}

}  // namespace reel::rpc
