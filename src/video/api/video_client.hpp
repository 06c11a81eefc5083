#pragma once

#include "kit/status/status.hpp"
#include "video/v1/video.pb.h"

namespace reel::video {

/// How other modules call the video service (proto/video/v1/video.proto states each call's
/// contract and errors). VideoRpc is the in-process implementation. Implementations are
/// thread-safe.
class VideoClient {
 public:
  virtual ~VideoClient() = default;
  virtual Result<v1::CreateVideoReply> CreateVideo(const v1::CreateVideoRequest& request) = 0;
  virtual Result<v1::GetVideosReply> GetVideos(const v1::GetVideosRequest& request) = 0;
  virtual Result<v1::ListVideosReply> ListVideos(const v1::ListVideosRequest& request) = 0;
  virtual Result<v1::CountWorksReply> CountWorks(const v1::CountWorksRequest& request) = 0;
  virtual Result<v1::UpdateVideoReply> UpdateVideo(const v1::UpdateVideoRequest& request) = 0;
  virtual Result<v1::DeleteVideoReply> DeleteVideo(const v1::DeleteVideoRequest& request) = 0;
};

}  // namespace reel::video
