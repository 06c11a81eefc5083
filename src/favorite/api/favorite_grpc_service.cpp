#include "favorite/api/favorite_grpc_service.hpp"

#include "kit/rpc/grpc_status.hpp"

namespace reel::favorite {

grpc::Status FavoriteGrpcService::Like(grpc::ServerContext*, const v1::LikeRequest* request,
                                       v1::LikeReply* reply) {
  return rpc::Answer(impl_.Like(*request), reply);
}

grpc::Status FavoriteGrpcService::Unlike(grpc::ServerContext*, const v1::UnlikeRequest* request,
                                         v1::UnlikeReply* reply) {
  return rpc::Answer(impl_.Unlike(*request), reply);
}

grpc::Status FavoriteGrpcService::ListLiked(grpc::ServerContext*,
                                            const v1::ListLikedRequest* request,
                                            v1::ListLikedReply* reply) {
  return rpc::Answer(impl_.ListLiked(*request), reply);
}

grpc::Status FavoriteGrpcService::VideoStats(grpc::ServerContext*,
                                             const v1::VideoStatsRequest* request,
                                             v1::VideoStatsReply* reply) {
  return rpc::Answer(impl_.VideoStats(*request), reply);
}

grpc::Status FavoriteGrpcService::UserStats(grpc::ServerContext*,
                                            const v1::UserStatsRequest* request,
                                            v1::UserStatsReply* reply) {
  return rpc::Answer(impl_.UserStats(*request), reply);
}

grpc::Status FavoriteGrpcService::TopVideos(grpc::ServerContext*,
                                            const v1::TopVideosRequest* request,
                                            v1::TopVideosReply* reply) {
  return rpc::Answer(impl_.TopVideos(*request), reply);
}

}  // namespace reel::favorite
