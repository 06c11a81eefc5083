#include "video/store/cached_video_repository.hpp"

#include <limits>

namespace reel::video {

cache::SharedBinding<std::int64_t, Video> CachedVideoRepository::VideosShared(
    cache::SharedTier* tier) {
  return cache::IdKeyedFields<Video>(tier, "video.videos", 1, [](auto& io, auto& video) {
    io.Field(video.id);
    io.Field(video.author_id);
    io.Field(video.title);
    io.Field(video.description);
    io.Field(video.media_key);
    io.Field(video.cover_key);
    io.Field(video.width);
    io.Field(video.height);
    io.Field(video.duration_ms);
    io.Field(video.created_at_ms);
    io.Field(video.tags);
    io.Field(video.is_public);
    io.Field(video.audit_status);
    io.Field(video.audit_reason);
    io.Field(video.is_original);
    io.Field(video.source_url);
  });
}

cache::SharedBinding<std::int64_t, WorkCount> CachedVideoRepository::WorkCountsShared(
    cache::SharedTier* tier) {
  return cache::IdKeyedFields<WorkCount>(tier, "video.work_counts", 1, [](auto& io, auto& count) {
    io.Field(count.all);
    io.Field(count.visible);
  });
}

void CachedVideoRepository::Changed(std::int64_t video_id, std::int64_t author_id) {
  videos_.Invalidate(video_id);
  work_counts_.Invalidate(author_id);
  newest_.Invalidate(author_id);
  newest_.Invalidate(0);
}

Result<Video> CachedVideoRepository::CreateVideo(const NewVideo& video,
                                                 std::int64_t pending_cutoff_ms) {
  auto created = store_.CreateVideo(video, pending_cutoff_ms);
  // Its id may be cached as absent (someone asked for it before it existed).
  if (created.ok()) Changed(created->id, created->author_id);
  return created;
}

Result<Video> CachedVideoRepository::UpdateVideo(std::int64_t video_id, std::int64_t author_id,
                                                 const VideoEdit& edit) {
  auto updated = store_.UpdateVideo(video_id, author_id, edit);
  if (updated.ok()) Changed(video_id, author_id);
  return updated;
}

Result<Video> CachedVideoRepository::SetAuditStatus(std::int64_t video_id, AuditStatus status,
                                                    std::string_view reason) {
  auto updated = store_.SetAuditStatus(video_id, status, reason);
  if (updated.ok()) Changed(video_id, updated->author_id);
  return updated;
}

Result<std::vector<MediaObject>> CachedVideoRepository::DeleteVideo(
    std::int64_t video_id, std::int64_t author_id, std::int64_t pending_cutoff_ms) {
  auto deleted = store_.DeleteVideo(video_id, author_id, pending_cutoff_ms);
  if (deleted.ok()) Changed(video_id, author_id);
  return deleted;
}

std::vector<Video> CachedVideoRepository::FindByIds(std::span<const std::int64_t> ids) {
  auto found = videos_.GetMany(ids, [&](std::span<const std::int64_t> missing) {
    std::unordered_map<std::int64_t, Video> loaded;
    for (Video& v : store_.FindByIds(missing)) loaded.emplace(v.id, std::move(v));
    return loaded;
  });
  std::vector<Video> out;
  out.reserve(found.size());
  for (auto& [id, video] : found) out.push_back(std::move(video));
  return out;
}

std::vector<Video> CachedVideoRepository::List(const VideoQuery& query) {
  const std::int64_t author_id = query.author_id;
  const std::int64_t before_ms = query.before_ms;
  const int limit = query.limit;
  // Only the lists everyone sees are cached: an author's own and filtered ones are rarer.
  if (limit > kNewestDepth || !query.visible_only || !query.exclude_author_ids.empty()) {
    return store_.List(query);
  }
  auto newest = newest_.Get(author_id, [&](std::int64_t) -> std::optional<NewestPtr> {
    auto list = std::make_shared<Newest>();
    list->videos = store_.List({.author_id = author_id, .limit = kNewestDepth});
    list->complete = list->videos.size() < static_cast<std::size_t>(kNewestDepth);
    return list;
  });
  // The page is the cached list's videos older than before_ms, when the list reaches far
  // enough back to hold all of it: `limit` of them, or every video there is.
  const std::int64_t bound = before_ms > 0 ? before_ms : std::numeric_limits<std::int64_t>::max();
  std::vector<Video> page;
  for (const Video& v : (*newest)->videos) {
    if (page.size() == static_cast<std::size_t>(limit)) break;
    if (v.created_at_ms < bound) page.push_back(v);
  }
  if (page.size() == static_cast<std::size_t>(limit) || (*newest)->complete) return page;
  return store_.List(query);
}

std::unordered_map<std::int64_t, WorkCount> CachedVideoRepository::CountByAuthors(
    std::span<const std::int64_t> author_ids) {
  return work_counts_.GetMany(author_ids, [&](std::span<const std::int64_t> missing) {
    return store_.CountByAuthors(missing);
  });
}

}  // namespace reel::video
