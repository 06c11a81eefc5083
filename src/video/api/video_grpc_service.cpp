#include "video/api/video_grpc_service.hpp"

#include "kit/rpc/grpc_status.hpp"

namespace reel::video {

grpc::Status VideoGrpcService::CreateVideo(grpc::ServerContext*,
                                           const v1::CreateVideoRequest* request,
                                           v1::CreateVideoReply* reply) {
  return rpc::Answer(impl_.CreateVideo(*request), reply);
}

grpc::Status VideoGrpcService::GetVideos(grpc::ServerContext*, const v1::GetVideosRequest* request,
                                         v1::GetVideosReply* reply) {
  return rpc::Answer(impl_.GetVideos(*request), reply);
}

grpc::Status VideoGrpcService::ListVideos(grpc::ServerContext*,
                                          const v1::ListVideosRequest* request,
                                          v1::ListVideosReply* reply) {
  return rpc::Answer(impl_.ListVideos(*request), reply);
}

grpc::Status VideoGrpcService::CountWorks(grpc::ServerContext*,
                                          const v1::CountWorksRequest* request,
                                          v1::CountWorksReply* reply) {
  return rpc::Answer(impl_.CountWorks(*request), reply);
}

grpc::Status VideoGrpcService::UpdateVideo(grpc::ServerContext*,
                                           const v1::UpdateVideoRequest* request,
                                           v1::UpdateVideoReply* reply) {
  return rpc::Answer(impl_.UpdateVideo(*request), reply);
}

grpc::Status VideoGrpcService::DeleteVideo(grpc::ServerContext*,
                                           const v1::DeleteVideoRequest* request,
                                           v1::DeleteVideoReply* reply) {
  return rpc::Answer(impl_.DeleteVideo(*request), reply);
}

}  // namespace reel::video
