#pragma once

#include "favorite/v1/favorite.pb.h"
#include "kit/status/status.hpp"

namespace reel::favorite {

/// How other modules call the favorite service. FavoriteRpc is the in-process
/// implementation. Implementations are thread-safe.
class FavoriteClient {
 public:
  virtual ~FavoriteClient() = default;
  virtual Result<v1::LikeReply> Like(const v1::LikeRequest& request) = 0;
  virtual Result<v1::UnlikeReply> Unlike(const v1::UnlikeRequest& request) = 0;
  virtual Result<v1::ListLikedReply> ListLiked(const v1::ListLikedRequest& request) = 0;
  virtual Result<v1::VideoStatsReply> VideoStats(const v1::VideoStatsRequest& request) = 0;
  virtual Result<v1::UserStatsReply> UserStats(const v1::UserStatsRequest& request) = 0;
  /// The most-liked videos, most first (the hot feed's older candidates).
  virtual Result<v1::TopVideosReply> TopVideos(const v1::TopVideosRequest& request) = 0;
};

}  // namespace reel::favorite
