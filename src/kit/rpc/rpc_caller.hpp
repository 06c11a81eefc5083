#pragma once

#include <grpcpp/client_context.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "kit/clock/clock.hpp"
#include "kit/rpc/adaptive_throttle.hpp"
#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/grpc_status.hpp"
#include "kit/rpc/rpc_config.hpp"
#include "kit/rpc/rpc_metrics.hpp"
#include "kit/rpc/rpc_trace.hpp"
#include "kit/status/status.hpp"

namespace reel::rpc {

/// Whether a call may be repeated without changing anything.
enum class CallKind {
  kRead,   // idempotent: retried once with jitter after a transport failure
  kWrite,  // never retried by the client
};

namespace detail {
// The non-template parts of RpcCaller (rpc_caller.cpp), so the template stays small and
// its users need not link the logger.
Status Throttled(std::string_view service, std::string_view method);
Status NoInstance(std::string_view service, std::string_view method);
void LogFailure(std::string_view service, std::string_view method, const grpc::Status& status,
                int attempt);
void SleepJitter(std::chrono::milliseconds max);
}  // namespace detail

/// Makes the unary calls of one client of one service: breaker → pick an instance →
/// deadline → call → record the outcome → (reads) retry once. One per service client;
/// thread-safe.
template <typename Service>  // the generated gRPC service class, e.g. user::v1::UserService
class RpcCaller {
 public:
  using Stub = typename Service::Stub;

  /// `service` names the dependency in errors and logs ("user"). `clock` drives the
  /// breaker's window only; deadlines are real time (gRPC's own clock).
  RpcCaller(std::string service, std::unique_ptr<ChannelSet> channels, const RpcConfig& config,
            const Clock& clock);

  /// Calls `method` (a Stub member such as &Stub::GetUser) named `name` (for errors/logs).
  /// Errors: the service's own Status as it sent it; kUnavailable
  /// DEPENDENCY_UNAVAILABLE / DEPENDENCY_TIMEOUT on transport failures or when no instance
  /// is known; kUnavailable DEPENDENCY_THROTTLED when the breaker rejects the call locally.
  /// A read's retry to the same (only) instance passes the breaker like any request, so when
  /// few recent calls were accepted it may be rejected; the first attempt's transport error
  /// is returned then (it says what actually went wrong). With several instances the retry
  /// goes to the next one and is always sent: one dead replica must not cost requests the
  /// others can serve. For the same reason a transport failure of one instance while others
  /// are awake rests that instance (ChannelSet::ReportFailure) instead of counting against
  /// the breaker.
  template <typename Request, typename Reply>
  Result<Reply> Call(std::string_view name, CallKind kind, const Request& request,
                     grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*));

  AdaptiveThrottle& breaker() { return breaker_; }
  ChannelSet& channels() { return *channels_; }

 private:
  const std::string service_;
  const std::unique_ptr<ChannelSet> channels_;
  const std::chrono::milliseconds deadline_;
  const std::chrono::milliseconds retry_jitter_;
  AdaptiveThrottle breaker_;
  ClientMetrics metrics_;
};

template <typename Service>
RpcCaller<Service>::RpcCaller(std::string service, std::unique_ptr<ChannelSet> channels,
                              const RpcConfig& config, const Clock& clock)
    : service_(std::move(service)),
      channels_(std::move(channels)),
      deadline_(config.deadline),
      retry_jitter_(config.retry_jitter),
      breaker_(
          AdaptiveThrottle::Options{
              .k = config.breaker_k, .window = config.breaker_window, .buckets = 10},
          clock),
      metrics_(service_, breaker_) {}

template <typename Service>
template <typename Request, typename Reply>
Result<Reply> RpcCaller<Service>::Call(std::string_view name, CallKind kind, const Request& request,
                                       grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                                    const Request&, Reply*)) {
  const int attempts = kind == CallKind::kRead ? 2 : 1;
  const std::string full_method =
      "/" + std::string(Service::service_full_name()) + "/" + std::string(name);
  const auto started = std::chrono::steady_clock::now();
  // One client span for the call, retries included; its context goes with each attempt.
  trace::Span span(full_method, trace::SpanKind::kClient);
  span.SetAttribute("rpc.system", "grpc");
  auto finish = [&](grpc::StatusCode code) {
    metrics_.Call(
        full_method, code,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    span.SetAttribute("rpc.grpc.status_code", static_cast<std::int64_t>(code));
    if (code != grpc::StatusCode::OK) span.SetError(std::string(CodeName(code)));
  };
  Status first_failure;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (attempt > 1) {
      metrics_.Retry(full_method);
      detail::SleepJitter(retry_jitter_);
    }
    // A retry that goes to another instance is not the breaker's to refuse: with replicas,
    // one that is down would otherwise throttle the calls the others can serve (a fresh
    // breaker after one failure rejects half of the retries). It is still recorded.
    const bool other_instance = attempt > 1 && channels_->Addresses().size() > 1;
    if (!other_instance && !breaker_.Allow()) {
      metrics_.Throttled();
      if (attempt == 1) return detail::Throttled(service_, name);
      finish(grpc::StatusCode::UNAVAILABLE);
      return first_failure;
    }
    std::shared_ptr<grpc::Channel> channel = channels_->Pick();
    if (!channel) {
      breaker_.Record(false);
      if (attempt == 1) first_failure = detail::NoInstance(service_, name);
      continue;
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline_);
    SendTrace(context, span.context());
    Reply reply;
    const grpc::Status status =
        (Service::NewStub(channel).get()->*method)(&context, request, &reply);
    const bool transport_failure = IsTransportFailure(status);
    // One instance failing while others are awake rests that instance; the breaker counts
    // what says something about the service as a whole.
    const bool instance_failure = transport_failure && channels_->ReportFailure(channel.get());
    if (!instance_failure) breaker_.Record(!transport_failure);
    if (status.ok()) {
      finish(grpc::StatusCode::OK);
      return reply;
    }
    if (transport_failure) detail::LogFailure(service_, name, status, attempt);
    Status failure = FromGrpcStatus(status, service_ + "." + std::string(name));
    if (!transport_failure || attempt > 1) {  // an answer is never retried
      finish(status.error_code());
      return failure;
    }
    first_failure = std::move(failure);
  }
  finish(grpc::StatusCode::UNAVAILABLE);  // no instance known
  return first_failure;
}

}  // namespace reel::rpc
