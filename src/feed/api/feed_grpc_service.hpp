#pragma once

#include "feed/api/feed_client.hpp"
#include "feed/v1/feed.grpc.pb.h"

namespace reel::feed {

/// The feed service over gRPC: every call is answered by the in-process implementation.
class FeedGrpcService final : public v1::FeedService::Service {
 public:
  explicit FeedGrpcService(FeedClient& impl) : impl_(impl) {}

  grpc::Status GetFeed(grpc::ServerContext* context, const v1::GetFeedRequest* request,
                       v1::GetFeedReply* reply) override;

 private:
  FeedClient& impl_;
};

}  // namespace reel::feed
