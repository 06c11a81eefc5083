#include "favorite/api/favorite_rpc.hpp"

namespace reel::favorite {
namespace {

std::span<const std::int64_t> SpanOf(const google::protobuf::RepeatedField<std::int64_t>& ids) {
  return {ids.data(), static_cast<std::size_t>(ids.size())};
}

void AddRepairs(const std::vector<CounterRepair>& repairs, v1::ReconcileCountersReply& reply) {
  for (const CounterRepair& repair : repairs) {
    v1::CounterRepair& out = *reply.add_repairs();
    out.set_counter(repair.counter);
    out.set_rows_fixed(repair.rows_fixed);
  }
}

}  // namespace

Result<v1::LikeReply> FavoriteRpc::Like(const v1::LikeRequest& request) {
  auto changed = service_.Like(request.user_id(), request.video_id());
  if (!changed.ok()) return changed.status();
  v1::LikeReply reply;
  reply.set_changed(*changed);
  return reply;
}

Result<v1::UnlikeReply> FavoriteRpc::Unlike(const v1::UnlikeRequest& request) {
  auto changed = service_.Unlike(request.user_id(), request.video_id());
  if (!changed.ok()) return changed.status();
  v1::UnlikeReply reply;
  reply.set_changed(*changed);
  return reply;
}

Result<v1::ListLikedReply> FavoriteRpc::ListLiked(const v1::ListLikedRequest& request) {
  Result<LikedPage> page =
      request.owner_must_exist()
          ? service_.ListLikedOfKnownUser(request.user_id(), request.cursor(), request.limit())
          : Result<LikedPage>(
                service_.ListLiked(request.user_id(), request.cursor(), request.limit()));
  if (!page.ok()) return page.status();
  v1::ListLikedReply reply;
  reply.mutable_video_ids()->Add(page->video_ids.begin(), page->video_ids.end());
  reply.set_next_cursor(page->next_cursor);
  return reply;
}

Result<v1::VideoStatsReply> FavoriteRpc::VideoStats(const v1::VideoStatsRequest& request) {
  v1::VideoStatsReply reply;
  auto& out = *reply.mutable_stats();
  const auto ids = SpanOf(request.video_ids());
  auto stats = service_.VideoStats(ids, request.viewer_id(), request.viewer_only());
  collections_.AddVideoStats(stats, ids, request.viewer_id(), request.viewer_only());
  for (const auto& [id, stat] : stats) {
    v1::VideoFavoriteStat& s = out[id];
    s.set_favorite_count(stat.favorite_count);
    s.set_liked_by_viewer(stat.liked_by_viewer);
    s.set_collect_count(stat.collect_count);
    s.set_collected_by_viewer(stat.collected_by_viewer);
    s.set_share_count(stat.share_count);
  }
  return reply;
}

Result<v1::UserStatsReply> FavoriteRpc::UserStats(const v1::UserStatsRequest& request) {
  v1::UserStatsReply reply;
  auto& out = *reply.mutable_stats();
  for (const auto& [id, stat] : service_.UserStats(SpanOf(request.user_ids()))) {
    v1::UserFavoriteStat& s = out[id];
    s.set_favorite_count(stat.favorite_count);
    s.set_total_favorited(stat.total_favorited);
  }
  return reply;
}

Result<v1::TopVideosReply> FavoriteRpc::TopVideos(const v1::TopVideosRequest& request) {
  v1::TopVideosReply reply;
  for (const VideoLikeCount& top : service_.TopVideos(request.limit())) {
    v1::VideoCount& out = *reply.add_videos();
    out.set_video_id(top.video_id);
    out.set_count(top.count);
  }
  return reply;
}

Result<v1::CollectReply> FavoriteRpc::Collect(const v1::CollectRequest& request) {
  auto changed = collections_.Collect(request.user_id(), request.video_id());
  if (!changed.ok()) return changed.status();
  v1::CollectReply reply;
  reply.set_changed(*changed);
  return reply;
}

Result<v1::UncollectReply> FavoriteRpc::Uncollect(const v1::UncollectRequest& request) {
  auto changed = collections_.Uncollect(request.user_id(), request.video_id());
  if (!changed.ok()) return changed.status();
  v1::UncollectReply reply;
  reply.set_changed(*changed);
  return reply;
}

Result<v1::ListCollectedReply> FavoriteRpc::ListCollected(const v1::ListCollectedRequest& request) {
  auto page = collections_.ListCollected(request.user_id(), request.viewer_id(), request.cursor(),
                                         request.limit());
  if (!page.ok()) return page.status();
  v1::ListCollectedReply reply;
  reply.mutable_video_ids()->Add(page->video_ids.begin(), page->video_ids.end());
  reply.set_next_cursor(page->next_cursor);
  return reply;
}

Result<v1::CollectionSettingsReply> FavoriteRpc::CollectionSettings(
    const v1::CollectionSettingsRequest& request) {
  auto is_public = collections_.CollectionsPublic(
      request.user_id(),
      request.has_public_() ? std::optional<bool>(request.public_()) : std::nullopt);
  if (!is_public.ok()) return is_public.status();
  v1::CollectionSettingsReply reply;
  reply.set_public_(*is_public);
  return reply;
}

Result<v1::ShareReply> FavoriteRpc::Share(const v1::ShareRequest& request) {
  auto outcome = collections_.Share(request.user_id(), request.video_id());
  if (!outcome.ok()) return outcome.status();
  v1::ShareReply reply;
  reply.set_counted(outcome->counted);
  reply.set_share_count(outcome->share_count);
  return reply;
}

Result<v1::ForgetVideoReply> FavoriteRpc::ForgetVideo(const v1::ForgetVideoRequest& request) {
  v1::ForgetVideoReply reply;
  reply.set_removed(service_.RemoveLikesOfVideo(request.video_id()) +
                    collections_.RemoveCollectionsOfVideo(request.video_id()));
  return reply;
}

Result<v1::ReconcileCountersReply> FavoriteRpc::ReconcileCounters(
    const v1::ReconcileCountersRequest&) {
  v1::ReconcileCountersReply reply;
  AddRepairs(service_.ReconcileCounters(), reply);
  AddRepairs(collections_.ReconcileCounters(), reply);
  return reply;
}

}  // namespace reel::favorite
