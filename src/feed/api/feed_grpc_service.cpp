#include "feed/api/feed_grpc_service.hpp"

#include "kit/rpc/grpc_status.hpp"

namespace reel::feed {

grpc::Status FeedGrpcService::GetFeed(grpc::ServerContext*, const v1::GetFeedRequest* request,
                                      v1::GetFeedReply* reply) {
  return rpc::Answer(impl_.GetFeed(*request), reply);
}

}  // namespace reel::feed
