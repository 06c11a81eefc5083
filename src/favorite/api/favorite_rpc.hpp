#pragma once

#include "favorite/api/favorite_client.hpp"
#include "favorite/domain/collection_service.hpp"
#include "favorite/domain/favorite_service.hpp"

namespace reel::favorite {

/// The favorite service's API (proto/favorite/v1/favorite.proto), transport-free: converts
/// messages to domain calls and back; the rules live in FavoriteService (likes) and
/// CollectionService (bookmarks, shares; VideoStats answers both). Thread-safe.
class FavoriteRpc final : public FavoriteClient {
 public:
  FavoriteRpc(FavoriteService& service, CollectionService& collections)
      : service_(service), collections_(collections) {}

  Result<v1::LikeReply> Like(const v1::LikeRequest& request) override;
  Result<v1::UnlikeReply> Unlike(const v1::UnlikeRequest& request) override;
  Result<v1::ListLikedReply> ListLiked(const v1::ListLikedRequest& request) override;
  Result<v1::VideoStatsReply> VideoStats(const v1::VideoStatsRequest& request) override;
  Result<v1::UserStatsReply> UserStats(const v1::UserStatsRequest& request) override;
  Result<v1::TopVideosReply> TopVideos(const v1::TopVideosRequest& request) override;

  Result<v1::CollectReply> Collect(const v1::CollectRequest& request) override;
  Result<v1::UncollectReply> Uncollect(const v1::UncollectRequest& request) override;
  Result<v1::ListCollectedReply> ListCollected(const v1::ListCollectedRequest& request) override;
  Result<v1::CollectionSettingsReply> CollectionSettings(
      const v1::CollectionSettingsRequest& request) override;
  Result<v1::ShareReply> Share(const v1::ShareRequest& request) override;

  /// Likes, then bookmarks and shares; `removed` counts the rows of all three.
  Result<v1::ForgetVideoReply> ForgetVideo(const v1::ForgetVideoRequest& request) override;
  /// The like counters, then the bookmark counter.
  Result<v1::ReconcileCountersReply> ReconcileCounters(
      const v1::ReconcileCountersRequest& request) override;

 private:
  FavoriteService& service_;
  CollectionService& collections_;
};

}  // namespace reel::favorite
