#pragma once

#include <grpcpp/support/status.h>

#include <string_view>
#include <type_traits>

#include "kit/status/status.hpp"

namespace reel::rpc {

/// A reel Status as a gRPC status: the gRPC code from GrpcCodeOf, the message as the
/// message, and the exact reel code, reason and retry_after in error_details, so that
/// FromGrpcStatus gives back the same Status on the other side (HTTP 405 / 413 included,
/// which gRPC has no codes for).
grpc::Status ToGrpcStatus(const Status& status);
/// The reverse. A gRPC status that did not come from ToGrpcStatus (transport failures:
/// UNAVAILABLE, DEADLINE_EXCEEDED, ...) becomes kUnavailable with reason
/// DEPENDENCY_UNAVAILABLE or DEPENDENCY_TIMEOUT and a sentence naming `what` (e.g.
/// "user.GetUser: the service is not reachable"); gRPC's own text, which names internal
/// addresses, stays out of it (the caller logs it).
Status FromGrpcStatus(const grpc::Status& status, std::string_view what);

/// True for a failure the called service did not answer itself: UNAVAILABLE or
/// DEADLINE_EXCEEDED without reel details (no connection, deadline passed on the way). A
/// reel kUnavailable the service sent on purpose is an answer, not a transport failure.
/// This is what the breaker counts as "not accepted" and what reads retry.
bool IsTransportFailure(const grpc::Status& status);

/// Server side: `*reply = *result` and OK, or the error as a gRPC status.
template <typename Reply>
grpc::Status Answer(Result<Reply> result, Reply* reply) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *reply = std::move(*result);
  return grpc::Status::OK;
}

/// Answer(call(), reply), where a StatusError thrown by `call` (a database that is down)
/// becomes its Status rather than gRPC's UNKNOWN.
template <typename Call, typename Reply>
requires std::is_invocable_v<Call> grpc::Status Answer(Call&& call, Reply* reply) {
  try {
    return Answer(call(), reply);
  } catch (const StatusError& e) {
    return ToGrpcStatus(e.status());
  }
}

}  // namespace reel::rpc
