#pragma once

#include "favorite/api/favorite_client.hpp"
#include "favorite/domain/favorite_service.hpp"

namespace reel::favorite {

/// The favorite service's API (proto/favorite/v1/favorite.proto), transport-free: converts
/// messages to domain calls and back; the rules live in FavoriteService. Thread-safe.
class FavoriteRpc final : public FavoriteClient {
 public:
  explicit FavoriteRpc(FavoriteService& service) : service_(service) {}

  Result<v1::LikeReply> Like(const v1::LikeRequest& request) override;
  Result<v1::UnlikeReply> Unlike(const v1::UnlikeRequest& request) override;
  Result<v1::ListLikedReply> ListLiked(const v1::ListLikedRequest& request) override;
  Result<v1::VideoStatsReply> VideoStats(const v1::VideoStatsRequest& request) override;
  Result<v1::UserStatsReply> UserStats(const v1::UserStatsRequest& request) override;
  Result<v1::TopVideosReply> TopVideos(const v1::TopVideosRequest& request) override;

  // Issue 16: not built yet (a stub until its helper lands).
  Result<v1::CollectReply> Collect(const v1::CollectRequest& request) override;
  // Issue 16: not built yet (a stub until its helper lands).
  Result<v1::UncollectReply> Uncollect(const v1::UncollectRequest& request) override;
  // Issue 16: not built yet (a stub until its helper lands).
  Result<v1::ListCollectedReply> ListCollected(const v1::ListCollectedRequest& request) override;
  // Issue 16: not built yet (a stub until its helper lands).
  Result<v1::CollectionSettingsReply> CollectionSettings(
      const v1::CollectionSettingsRequest& request) override;
  // Issue 16: not built yet (a stub until its helper lands).
  Result<v1::ShareReply> Share(const v1::ShareRequest& request) override;

 private:
  FavoriteService& service_;
};

}  // namespace reel::favorite
