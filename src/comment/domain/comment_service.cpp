#include "comment/domain/comment_service.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "comment/domain/comment_policy.hpp"

namespace reel::comment {
namespace {

Status VideoNotFound(std::int64_t video_id) {
  return NotFound("VIDEO_NOT_FOUND", "video " + std::to_string(video_id) + " does not exist");
}

}  // namespace

CommentService::CommentService(CommentRepository& repository, VideoDirectory& videos,
                               const Clock& clock)
    : repository_(repository), videos_(videos), clock_(clock) {}

Result<Comment> CommentService::Create(std::int64_t user_id, std::int64_t video_id,
                                       std::string_view content) {
  // The local check first: a bad comment must not cost a call to the video service.
  auto normalized = NormalizeComment(content);
  if (!normalized.ok()) return normalized.status();
  if (!videos_.AuthorOf(video_id)) return VideoNotFound(video_id);
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count();
  return repository_.Create(NewComment{video_id, user_id, std::move(*normalized), now_ms});
}

Result<Comment> CommentService::Delete(std::int64_t user_id, std::int64_t comment_id) {
  auto comment = repository_.FindById(comment_id);
  if (!comment) {
    return NotFound("COMMENT_NOT_FOUND",
                    "comment " + std::to_string(comment_id) + " does not exist");
  }
  // Comments never change, so what is checked here still holds when the store deletes; a
  // concurrent delete of the same comment is caught there (COMMENT_NOT_FOUND).
  const bool allowed =
      comment->user_id == user_id || videos_.AuthorOf(comment->video_id) == user_id;
  if (!allowed) {
    return PermissionDenied("NOT_COMMENT_OWNER",
                            "only the comment's author or the video's author can delete it");
  }
  return repository_.Delete(comment_id);
}

Result<CommentPage> CommentService::List(std::int64_t video_id, std::int64_t cursor, int limit) {
  if (cursor < 0) {
    return InvalidArgument("CURSOR_INVALID", "cursor must be 0 or a next_cursor from a reply");
  }
  if (!videos_.AuthorOf(video_id)) return VideoNotFound(video_id);
  const int size = limit == 0 ? kDefaultPageSize : std::clamp(limit, 1, kMaxPageSize);
  CommentPage page;
  page.comments = repository_.List(video_id, cursor, size);
  // A short page is the last one; a full one may be too, which costs one empty request.
  if (page.comments.size() == static_cast<std::size_t>(size)) {
    page.next_cursor = page.comments.back().id;
  }
  return page;
}

std::unordered_map<std::int64_t, std::int64_t> CommentService::CountByVideos(
    std::span<const std::int64_t> video_ids) {
  std::unordered_map<std::int64_t, std::int64_t> counts;
  if (video_ids.empty()) return counts;
  counts = repository_.CountByVideos(video_ids);
  for (std::int64_t id : video_ids) counts.try_emplace(id, 0);
  return counts;
}

}  // namespace reel::comment
