#pragma once

#include <cstdint>

#include "feed/api/feed_client.hpp"
#include "feed/domain/hot_snapshots.hpp"
#include "kit/clock/clock.hpp"
#include "views/service_clients.hpp"

namespace reel::feed {

/// The feed service's implementation, transport-free: the /api/feed route calls it
/// in-process and FeedGrpcService serves it over gRPC. `clients.videos` is required.
class FeedRpc final : public FeedClient {
 public:
  FeedRpc(const views::ServiceClients& clients, HotSnapshots& hot, const Clock& clock)
      : clients_(clients), hot_(hot), clock_(clock) {}

  Result<v1::GetFeedReply> GetFeed(const v1::GetFeedRequest& request) override;

  // For the Douyin feed route, which runs in the feed service's own process (or `reel
  // all`): a use case the proto does not offer (yet), called in-process.

  /// Videos per Douyin feed page, as the Douyin clients expect.
  static constexpr int kDouyinPageSize = 30;
  struct DouyinPage {
    video::v1::ListVideosReply videos;
    /// Where the next page starts (the Douyin next_time, in ms): the last video's time, or
    /// at the end of the feed now, so a client that keeps scrolling starts again at the
    /// newest videos.
    std::int64_t next_time_ms = 0;
  };
  /// Up to kDouyinPageSize videos, newest first, strictly older than `latest_time_ms` (0:
  /// no bound), leaving out the authors `viewer_id` (0: anonymous) blocked.
  /// Errors: the video service's.
  Result<DouyinPage> DouyinFeed(std::int64_t latest_time_ms, std::int64_t viewer_id = 0);

 private:
  views::ServiceClients clients_;
  HotSnapshots& hot_;
  const Clock& clock_;
};

}  // namespace reel::feed
