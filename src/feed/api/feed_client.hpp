#pragma once

#include "feed/v1/feed.pb.h"
#include "kit/status/status.hpp"

namespace reel::feed {

class FeedClient {
 public:
  virtual ~FeedClient() = default;
  virtual Result<v1::GetFeedReply> GetFeed(const v1::GetFeedRequest& request) = 0;
};

}  // namespace reel::feed
