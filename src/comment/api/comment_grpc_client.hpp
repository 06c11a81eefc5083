#pragma once

#include <memory>

#include "comment/api/comment_client.hpp"
#include "comment/v1/comment.grpc.pb.h"
#include "kit/clock/clock.hpp"
#include "kit/rpc/adaptive_throttle.hpp"
#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/rpc_caller.hpp"
#include "kit/rpc/rpc_config.hpp"

namespace reel::comment {

/// The comment service reached over gRPC (a CommentGrpcService in another process): the same
/// contract as the in-process CommentRpc, with the service's own errors passed through
/// unchanged. Every call has the configured deadline and goes through the breaker; reads
/// are retried once after a transport failure, writes never (a write may have happened).
/// Reads: List, CountByVideos, TopVideos.
/// Transport errors: kUnavailable DEPENDENCY_UNAVAILABLE, DEPENDENCY_TIMEOUT or
/// DEPENDENCY_THROTTLED. Thread-safe.
class GrpcCommentClient final : public CommentClient {
 public:
  GrpcCommentClient(std::unique_ptr<rpc::ChannelSet> channels, const rpc::RpcConfig& config,
                    const Clock& clock);

  Result<v1::CreateCommentReply> Create(const v1::CreateCommentRequest& request) override;
  Result<v1::DeleteCommentReply> Delete(const v1::DeleteCommentRequest& request) override;
  Result<v1::ListCommentsReply> List(const v1::ListCommentsRequest& request) override;
  Result<v1::CountCommentsReply> CountByVideos(const v1::CountCommentsRequest& request) override;
  Result<v1::TopVideosReply> TopVideos(const v1::TopVideosRequest& request) override;

  /// The client's circuit breaker (for tests and metrics).
  rpc::AdaptiveThrottle& breaker() { return caller_.breaker(); }

 private:
  rpc::RpcCaller<v1::CommentService> caller_;
};

}  // namespace reel::comment
