#include "feed/api/feed_grpc_client.hpp"

#include <utility>

namespace reel::feed {

GrpcFeedClient::GrpcFeedClient(std::unique_ptr<rpc::ChannelSet> channels,
                               const rpc::RpcConfig& config, const Clock& clock)
    : caller_("feed", std::move(channels), config, clock) {}

Result<v1::GetFeedReply> GrpcFeedClient::GetFeed(const v1::GetFeedRequest& request) {
  return caller_.Call("GetFeed", rpc::CallKind::kRead, request, &v1::FeedService::Stub::GetFeed);
}

}  // namespace reel::feed
