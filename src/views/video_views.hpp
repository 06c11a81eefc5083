#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kit/json/json_writer.hpp"
#include "kit/status/status.hpp"
#include "views/media_urls.hpp"
#include "views/rendered_videos.hpp"
#include "views/user_views.hpp"

namespace reel::views {

/// Writes video objects for a page of videos, with a fixed number of service calls per
/// page: never one per video. One shape serves both APIs: the Douyin fields (id, author,
/// play_url, cover_url, favorite_count, comment_count, is_favorite, then collect_count,
/// is_collected and share_count (issue 16), title) followed by description, tags,
/// created_at (ms), width, height and duration_ms.
///
/// Each video is rendered once for every viewer (RenderedVideo) and the viewer's is_follow,
/// is_favorite and is_collected put in when written. With `rendered` (where every store is in this
/// process), renderings are reused while no store has changed, and a page of them costs
/// only the viewer's two look-ups.
class VideoViews {
 public:
  VideoViews(UserViews& users, const ServiceClients& clients, const MediaUrls& urls,
             RenderedVideos* rendered = nullptr)
      : users_(users), clients_(clients), urls_(urls), rendered_(rendered) {}

  /// Writes `"video_list": [...]` into the open object `w`, as seen by `viewer` (0:
  /// anonymous). Videos whose author no longer exists are left out.
  Status WriteVideoList(json::JsonWriter& w,
                        const google::protobuf::RepeatedPtrField<video::v1::Video>& videos,
                        std::int64_t viewer) {
    return WriteVideoArray(w, "video_list", videos, viewer);
  }
  /// The same under any key (`"videos"` on /api).
  Status WriteVideoArray(json::JsonWriter& w, std::string_view key,
                         const google::protobuf::RepeatedPtrField<video::v1::Video>& videos,
                         std::int64_t viewer);
  /// Writes `"<key>": {...}` for one video. Errors: VIDEO_NOT_FOUND when its author is gone.
  Status WriteVideoObject(json::JsonWriter& w, std::string_view key, const video::v1::Video& video,
                          std::int64_t viewer);

 private:
  using VideoRefs = std::span<const video::v1::Video* const>;
  /// What the viewer likes and follows, among a page's videos and authors.
  struct ViewerMarks {
    std::unordered_set<std::int64_t> liked;      // video ids
    std::unordered_set<std::int64_t> collected;  // video ids bookmarked (issue 16)
    std::unordered_set<std::int64_t> followed;   // author ids
  };
  /// What a page's objects need from other services, fetched once per page.
  struct PageContext {
    std::unordered_map<std::int64_t, user::v1::User> authors;
    favorite::v1::VideoStatsReply favorites;
    comment::v1::CountCommentsReply comments;
    bool degraded = false;  // a counter service was down: some counters read 0
    std::unordered_set<std::int64_t> hidden_authors;  // hidden from this viewer (issue 16)
  };
  /// A page as rendered, in order.
  struct RenderedPage {
    std::vector<std::shared_ptr<const RenderedVideo>> videos;
    ViewerMarks marks;
  };

  Result<RenderedPage> Render(VideoRefs videos, std::int64_t viewer);
  /// A kept rendering must be made from reads after the epoch was noted, and the caller
  /// read its videos before: points each of `videos` the store still has at a copy read
  /// now (held by `fresh`) and says which may be kept. Ones it no longer has (deleted
  /// since) stay as the caller has them and are not kept; without renderings to keep, none.
  std::vector<bool> ReadAgainToKeep(std::vector<const video::v1::Video*>& videos,
                                    video::v1::GetVideosReply& fresh);
  Result<PageContext> Load(VideoRefs videos, std::int64_t viewer);
  /// The marks for videos whose renderings were reused (the others' came with their load).
  Status LoadMarks(std::span<const std::int64_t> video_ids,
                   std::span<const std::int64_t> author_ids, std::int64_t viewer,
                   ViewerMarks& marks);
  /// `v` as any viewer sees it (not shown when its author is gone).
  std::shared_ptr<const RenderedVideo> RenderOne(const video::v1::Video& v, const PageContext& page,
                                                 std::uint64_t epoch) const;
  static void WriteRendered(json::JsonWriter& w, const RenderedPage& page);

  UserViews& users_;
  ServiceClients clients_;
  const MediaUrls& urls_;
  RenderedVideos* rendered_;
};

}  // namespace reel::views
