#pragma once

#include <grpcpp/server_context.h>

#include "video/api/video_client.hpp"
#include "video/v1/video.grpc.pb.h"

namespace reel::video {

/// The video service on gRPC: each method hands the request to the one implementation (the
/// in-process VideoRpc) and sends back its reply, or its Status with the exact code, reason
/// and message (kit/rpc/grpc_status.hpp), so a GrpcVideoClient sees what an in-process
/// caller would. Thread-safe as `impl` is; `impl` must outlive the server.
class VideoGrpcService final : public v1::VideoService::Service {
 public:
  explicit VideoGrpcService(VideoClient& impl) : impl_(impl) {}

  grpc::Status CreateVideo(grpc::ServerContext* context, const v1::CreateVideoRequest* request,
                           v1::CreateVideoReply* reply) override;
  grpc::Status GetVideos(grpc::ServerContext* context, const v1::GetVideosRequest* request,
                         v1::GetVideosReply* reply) override;
  grpc::Status ListVideos(grpc::ServerContext* context, const v1::ListVideosRequest* request,
                          v1::ListVideosReply* reply) override;
  grpc::Status CountWorks(grpc::ServerContext* context, const v1::CountWorksRequest* request,
                          v1::CountWorksReply* reply) override;
  grpc::Status UpdateVideo(grpc::ServerContext* context, const v1::UpdateVideoRequest* request,
                           v1::UpdateVideoReply* reply) override;
  grpc::Status DeleteVideo(grpc::ServerContext* context, const v1::DeleteVideoRequest* request,
                           v1::DeleteVideoReply* reply) override;

 private:
  VideoClient& impl_;
};

}  // namespace reel::video
