#pragma once

#include <memory>

#include "kit/clock/clock.hpp"
#include "kit/rpc/adaptive_throttle.hpp"
#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/rpc_caller.hpp"
#include "kit/rpc/rpc_config.hpp"
#include "video/api/video_client.hpp"
#include "video/v1/video.grpc.pb.h"

namespace reel::video {

/// The video service reached over gRPC (a VideoGrpcService in another process): the same
/// contract as the in-process VideoRpc, with the service's own errors passed through
/// unchanged. Every call has the configured deadline and goes through the breaker; reads
/// are retried once after a transport failure, writes never (a write may have happened).
/// Reads: GetVideos, ListVideos, CountWorks.
/// Transport errors: kUnavailable DEPENDENCY_UNAVAILABLE, DEPENDENCY_TIMEOUT or
/// DEPENDENCY_THROTTLED. Thread-safe.
class GrpcVideoClient final : public VideoClient {
 public:
  GrpcVideoClient(std::unique_ptr<rpc::ChannelSet> channels, const rpc::RpcConfig& config,
                  const Clock& clock);

  Result<v1::CreateVideoReply> CreateVideo(const v1::CreateVideoRequest& request) override;
  Result<v1::GetVideosReply> GetVideos(const v1::GetVideosRequest& request) override;
  Result<v1::ListVideosReply> ListVideos(const v1::ListVideosRequest& request) override;
  Result<v1::CountWorksReply> CountWorks(const v1::CountWorksRequest& request) override;
  Result<v1::UpdateVideoReply> UpdateVideo(const v1::UpdateVideoRequest& request) override;
  Result<v1::DeleteVideoReply> DeleteVideo(const v1::DeleteVideoRequest& request) override;

  /// The client's circuit breaker (for tests and metrics).
  rpc::AdaptiveThrottle& breaker() { return caller_.breaker(); }

 private:
  rpc::RpcCaller<v1::VideoService> caller_;
};

}  // namespace reel::video
