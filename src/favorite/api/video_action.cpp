#include "favorite/api/video_action.hpp"

namespace reel::favorite {

Result<v1::VideoFavoriteStat> StatAfter(FavoriteClient& favorites, std::int64_t viewer,
                                        std::int64_t video_id) {
  v1::VideoStatsRequest stats;
  stats.add_video_ids(video_id);
  stats.set_viewer_id(viewer);
  auto reply = favorites.VideoStats(stats);
  if (!reply.ok()) return reply.status();
  const auto found = reply->stats().find(video_id);
  return found == reply->stats().end() ? v1::VideoFavoriteStat() : found->second;
}

}  // namespace reel::favorite
