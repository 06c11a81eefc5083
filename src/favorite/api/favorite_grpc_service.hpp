#pragma once

#include <grpcpp/server_context.h>

#include "favorite/api/favorite_client.hpp"
#include "favorite/v1/favorite.grpc.pb.h"

namespace reel::favorite {

/// The favorite service on gRPC: each method hands the request to the one implementation (the
/// in-process FavoriteRpc) and sends back its reply, or its Status with the exact code, reason
/// and message (kit/rpc/grpc_status.hpp), so a GrpcFavoriteClient sees what an in-process
/// caller would. Thread-safe as `impl` is; `impl` must outlive the server.
class FavoriteGrpcService final : public v1::FavoriteService::Service {
 public:
  explicit FavoriteGrpcService(FavoriteClient& impl) : impl_(impl) {}

  grpc::Status Like(grpc::ServerContext* context, const v1::LikeRequest* request,
                    v1::LikeReply* reply) override;
  grpc::Status Unlike(grpc::ServerContext* context, const v1::UnlikeRequest* request,
                      v1::UnlikeReply* reply) override;
  grpc::Status ListLiked(grpc::ServerContext* context, const v1::ListLikedRequest* request,
                         v1::ListLikedReply* reply) override;
  grpc::Status VideoStats(grpc::ServerContext* context, const v1::VideoStatsRequest* request,
                          v1::VideoStatsReply* reply) override;
  grpc::Status UserStats(grpc::ServerContext* context, const v1::UserStatsRequest* request,
                         v1::UserStatsReply* reply) override;
  grpc::Status TopVideos(grpc::ServerContext* context, const v1::TopVideosRequest* request,
                         v1::TopVideosReply* reply) override;

 private:
  FavoriteClient& impl_;
};

}  // namespace reel::favorite
