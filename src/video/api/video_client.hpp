#pragma once

#include "kit/status/status.hpp"
#include "video/v1/video.pb.h"

namespace reel::video {

/// How other modules call the video service. VideoRpc is the in-process implementation.
/// Implementations are thread-safe.
class VideoClient {
 public:
  virtual ~VideoClient() = default;
  virtual Result<v1::CreateVideoReply> CreateVideo(const v1::CreateVideoRequest& request) = 0;
  virtual Result<v1::GetVideosReply> GetVideos(const v1::GetVideosRequest& request) = 0;
  virtual Result<v1::ListVideosReply> ListVideos(const v1::ListVideosRequest& request) = 0;
  virtual Result<v1::CountWorksReply> CountWorks(const v1::CountWorksRequest& request) = 0;
};

}  // namespace reel::video
