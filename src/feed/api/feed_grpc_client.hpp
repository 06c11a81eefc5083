#pragma once

#include <memory>

#include "feed/api/feed_client.hpp"
#include "feed/v1/feed.grpc.pb.h"
#include "kit/clock/clock.hpp"
#include "kit/rpc/rpc_caller.hpp"

namespace reel::feed {

/// The feed service reached over gRPC: the same contract as the in-process FeedRpc. GetFeed
/// is a read (retried once after a transport failure). Thread-safe.
class GrpcFeedClient final : public FeedClient {
 public:
  GrpcFeedClient(std::unique_ptr<rpc::ChannelSet> channels, const rpc::RpcConfig& config,
                 const Clock& clock);

  Result<v1::GetFeedReply> GetFeed(const v1::GetFeedRequest& request) override;

 private:
  rpc::RpcCaller<v1::FeedService> caller_;
};

}  // namespace reel::feed
