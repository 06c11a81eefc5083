#include "kit/rpc/rpc_trace.hpp"

#include <string>

namespace reel::rpc {

std::optional<trace::SpanContext> IncomingTrace(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find(grpc::string_ref(kTraceparentKey.data(), kTraceparentKey.size()));
  if (it == metadata.end()) return std::nullopt;
  return trace::ParseTraceparent(std::string_view(it->second.data(), it->second.size()));
}

void SendTrace(grpc::ClientContext& context, const trace::SpanContext& span) {
  context.AddMetadata(std::string(kTraceparentKey), trace::FormatTraceparent(span));
}

}  // namespace reel::rpc
