#pragma once

#include "video/api/video_client.hpp"
#include "video/domain/video_service.hpp"

namespace reel::video {

/// The video service's API (proto/video/v1/video.proto), transport-free: converts messages
/// to domain calls and back. Thread-safe.
class VideoRpc final : public VideoClient {
 public:
  explicit VideoRpc(VideoService& service) : service_(service) {}

  Result<v1::CreateVideoReply> CreateVideo(const v1::CreateVideoRequest& request) override;
  Result<v1::GetVideosReply> GetVideos(const v1::GetVideosRequest& request) override;
  Result<v1::ListVideosReply> ListVideos(const v1::ListVideosRequest& request) override;
  Result<v1::CountWorksReply> CountWorks(const v1::CountWorksRequest& request) override;
  Result<v1::UpdateVideoReply> UpdateVideo(const v1::UpdateVideoRequest& request) override;
  Result<v1::DeleteVideoReply> DeleteVideo(const v1::DeleteVideoRequest& request) override;

 private:
  VideoService& service_;
};

void ToProto(const Video& video, v1::Video& out);
/// The same, moving the strings: for videos the caller no longer needs (a page it copied).
void ToProto(Video&& video, v1::Video& out);

}  // namespace reel::video
