#include "video/api/video_grpc_client.hpp"

#include <utility>

namespace reel::video {
namespace {

using rpc::CallKind;
using Stub = v1::VideoService::Stub;

}  // namespace

GrpcVideoClient::GrpcVideoClient(std::unique_ptr<rpc::ChannelSet> channels,
                                 const rpc::RpcConfig& config, const Clock& clock)
    : caller_("video", std::move(channels), config, clock) {}

Result<v1::CreateVideoReply> GrpcVideoClient::CreateVideo(const v1::CreateVideoRequest& request) {
  return caller_.Call("CreateVideo", CallKind::kWrite, request, &Stub::CreateVideo);
}

Result<v1::GetVideosReply> GrpcVideoClient::GetVideos(const v1::GetVideosRequest& request) {
  return caller_.Call("GetVideos", CallKind::kRead, request, &Stub::GetVideos);
}

Result<v1::ListVideosReply> GrpcVideoClient::ListVideos(const v1::ListVideosRequest& request) {
  return caller_.Call("ListVideos", CallKind::kRead, request, &Stub::ListVideos);
}

Result<v1::CountWorksReply> GrpcVideoClient::CountWorks(const v1::CountWorksRequest& request) {
  return caller_.Call("CountWorks", CallKind::kRead, request, &Stub::CountWorks);
}

Result<v1::UpdateVideoReply> GrpcVideoClient::UpdateVideo(const v1::UpdateVideoRequest& request) {
  return caller_.Call("UpdateVideo", CallKind::kWrite, request, &Stub::UpdateVideo);
}

Result<v1::DeleteVideoReply> GrpcVideoClient::DeleteVideo(const v1::DeleteVideoRequest& request) {
  return caller_.Call("DeleteVideo", CallKind::kWrite, request, &Stub::DeleteVideo);
}

}  // namespace reel::video
