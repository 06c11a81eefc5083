#include "favorite/api/favorite_grpc_client.hpp"

#include <utility>

namespace reel::favorite {
namespace {

using rpc::CallKind;
using Stub = v1::FavoriteService::Stub;

}  // namespace

GrpcFavoriteClient::GrpcFavoriteClient(std::unique_ptr<rpc::ChannelSet> channels,
                                       const rpc::RpcConfig& config, const Clock& clock)
    : caller_("favorite", std::move(channels), config, clock) {}

Result<v1::LikeReply> GrpcFavoriteClient::Like(const v1::LikeRequest& request) {
  return caller_.Call("Like", CallKind::kWrite, request, &Stub::Like);
}

Result<v1::UnlikeReply> GrpcFavoriteClient::Unlike(const v1::UnlikeRequest& request) {
  return caller_.Call("Unlike", CallKind::kWrite, request, &Stub::Unlike);
}

Result<v1::ListLikedReply> GrpcFavoriteClient::ListLiked(const v1::ListLikedRequest& request) {
  return caller_.Call("ListLiked", CallKind::kRead, request, &Stub::ListLiked);
}

Result<v1::VideoStatsReply> GrpcFavoriteClient::VideoStats(const v1::VideoStatsRequest& request) {
  return caller_.Call("VideoStats", CallKind::kRead, request, &Stub::VideoStats);
}

Result<v1::UserStatsReply> GrpcFavoriteClient::UserStats(const v1::UserStatsRequest& request) {
  return caller_.Call("UserStats", CallKind::kRead, request, &Stub::UserStats);
}

Result<v1::TopVideosReply> GrpcFavoriteClient::TopVideos(const v1::TopVideosRequest& request) {
  return caller_.Call("TopVideos", CallKind::kRead, request, &Stub::TopVideos);
}

}  // namespace reel::favorite
