#pragma once

#include <memory>

#include "favorite/api/favorite_client.hpp"
#include "favorite/v1/favorite.grpc.pb.h"
#include "kit/clock/clock.hpp"
#include "kit/rpc/adaptive_throttle.hpp"
#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/rpc_caller.hpp"
#include "kit/rpc/rpc_config.hpp"

namespace reel::favorite {

/// The favorite service reached over gRPC (a FavoriteGrpcService in another process): the same
/// contract as the in-process FavoriteRpc, with the service's own errors passed through
/// unchanged. Every call has the configured deadline and goes through the breaker; reads
/// are retried once after a transport failure, writes never (a write may have happened).
/// Reads: ListLiked, VideoStats, UserStats, TopVideos.
/// Transport errors: kUnavailable DEPENDENCY_UNAVAILABLE, DEPENDENCY_TIMEOUT or
/// DEPENDENCY_THROTTLED. Thread-safe.
class GrpcFavoriteClient final : public FavoriteClient {
 public:
  GrpcFavoriteClient(std::unique_ptr<rpc::ChannelSet> channels, const rpc::RpcConfig& config,
                     const Clock& clock);

  Result<v1::LikeReply> Like(const v1::LikeRequest& request) override;
  Result<v1::UnlikeReply> Unlike(const v1::UnlikeRequest& request) override;
  Result<v1::ListLikedReply> ListLiked(const v1::ListLikedRequest& request) override;
  Result<v1::VideoStatsReply> VideoStats(const v1::VideoStatsRequest& request) override;
  Result<v1::UserStatsReply> UserStats(const v1::UserStatsRequest& request) override;
  Result<v1::TopVideosReply> TopVideos(const v1::TopVideosRequest& request) override;

  /// The client's circuit breaker (for tests and metrics).
  rpc::AdaptiveThrottle& breaker() { return caller_.breaker(); }

 private:
  rpc::RpcCaller<v1::FavoriteService> caller_;
};

}  // namespace reel::favorite
