#pragma once

#include "feed/api/feed_client.hpp"
#include "feed/domain/hot_snapshots.hpp"
#include "views/service_clients.hpp"

namespace reel::feed {

/// The feed service's implementation, transport-free: the /api/feed route calls it
/// in-process and FeedGrpcService serves it over gRPC.
class FeedRpc final : public FeedClient {
 public:
  FeedRpc(const views::ServiceClients& clients, HotSnapshots& hot) : clients_(clients), hot_(hot) {}

  Result<v1::GetFeedReply> GetFeed(const v1::GetFeedRequest& request) override;

 private:
  views::ServiceClients clients_;
  HotSnapshots& hot_;
};

}  // namespace reel::feed
