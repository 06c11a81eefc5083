#pragma once
// Trace context over gRPC (issue 21): the client puts its span's W3C traceparent in the
// call's metadata; the server makes its span a child of it. The generated services
// (tools/protoc-gen-reel) answer through AnswerTraced.

#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>

#include <optional>
#include <string_view>

#include "kit/rpc/grpc_status.hpp"
#include "kit/trace/trace.hpp"

namespace reel::rpc {

/// The metadata key, as W3C trace context names the header.
inline constexpr std::string_view kTraceparentKey = "traceparent";

/// The caller's trace context from a call's metadata, when valid.
std::optional<trace::SpanContext> IncomingTrace(const grpc::ServerContext& context);

/// Sends `span` as the parent of the server's work.
void SendTrace(grpc::ClientContext& context, const trace::SpanContext& span);

/// Answer(call, reply) inside a server span named `method` ("/reel.user.v1.UserService/GetUser"),
/// a child of the caller's trace.
template <typename Call, typename Reply>
requires std::is_invocable_v<Call> grpc::Status AnswerTraced(grpc::ServerContext* context,
                                                             std::string_view method, Call&& call,
                                                             Reply* reply) {
  trace::Span span(method, trace::SpanKind::kServer,
                   context ? IncomingTrace(*context) : std::nullopt);
  span.SetAttribute("rpc.system", "grpc");
  const grpc::Status status = Answer(std::forward<Call>(call), reply);
  span.SetAttribute("rpc.grpc.status_code", static_cast<std::int64_t>(status.error_code()));
  if (!status.ok()) span.SetError(status.error_message());
  return status;
}

}  // namespace reel::rpc
