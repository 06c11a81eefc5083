#include "comment/store/cached_comment_repository.hpp"

namespace reel::comment {

Result<Comment> CachedCommentRepository::Create(const NewComment& comment) {
  auto stored = store_.Create(comment);
  if (stored.ok()) counts_.Invalidate(stored->video_id);
  return stored;
}

Result<Comment> CachedCommentRepository::SetHidden(std::int64_t id, bool hidden) {
  auto changed = store_.SetHidden(id, hidden);
  if (changed.ok()) counts_.Invalidate(changed->video_id);
  return changed;
}

Result<Comment> CachedCommentRepository::Delete(std::int64_t id) {
  auto removed = store_.Delete(id);
  if (removed.ok()) counts_.Invalidate(removed->video_id);
  return removed;
}

std::int64_t CachedCommentRepository::RemoveCommentsOfVideo(std::int64_t video_id) {
  const std::int64_t removed = store_.RemoveCommentsOfVideo(video_id);
  // Even when no comment went: the store may still have dropped a count row at 0.
  counts_.Invalidate(video_id);
  return removed;
}

std::unordered_map<std::int64_t, std::int64_t> CachedCommentRepository::CountByVideos(
    std::span<const std::int64_t> video_ids) {
  return counts_.GetMany(video_ids, [&](std::span<const std::int64_t> missing) {
    return store_.CountByVideos(missing);
  });
}

std::vector<CounterRepair> CachedCommentRepository::ReconcileCounters() {
  auto repairs = store_.ReconcileCounters();
  for (const CounterRepair& repair : repairs) {
    if (repair.rows_fixed > 0) {
      counts_.InvalidateAll();
      break;
    }
  }
  return repairs;
}

}  // namespace reel::comment
