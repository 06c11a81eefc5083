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

// OK for an existing video; VIDEO_NOT_FOUND, or why the video service could not say.
Status VideoMustExist(VideoDirectory& videos, std::int64_t video_id) {
  auto author = videos.AuthorOf(video_id);
  if (!author.ok()) return author.status();
  return *author ? Status::Ok() : VideoNotFound(video_id);
}

}  // namespace

CommentService::CommentService(CommentRepository& repository, VideoDirectory& videos,
                               events::EventSink& events, const Clock& clock)
    : repository_(repository), videos_(videos), events_(events), clock_(clock) {}

Result<Comment> CommentService::Create(std::int64_t user_id, std::int64_t video_id,
                                       std::string_view content) {
  // The local check first: a bad comment must not cost a call to the video service.
  auto normalized = NormalizeComment(content);
  if (!normalized.ok()) return normalized.status();
  if (Status s = VideoMustExist(videos_, video_id); !s.ok()) return s;
  Comment comment =
      repository_.Create(NewComment{video_id, user_id, std::move(*normalized), NowMs()});
  // Had the video been deleted between the check above and the insert, its cascade would
  // have run already and this comment would stay forever, counted. The video service
  // commits a delete before the cascade starts, so asking again now closes that window:
  // either the cascade saw this comment, or this sees the video gone and removes it. (When
  // the video service cannot answer now, the comment stays: it answered a moment ago.)
  if (auto again = videos_.AuthorOf(video_id); again.ok() && !*again) {
    (void)repository_.Delete(comment.id);  // COMMENT_NOT_FOUND: the cascade took it already
    return VideoNotFound(video_id);
  }
  events_.Publish(
      events::MakeEvent(events::EventKind::kCommentCreated, video_id, user_id, NowMs()));
  return comment;
}

Result<Comment> CommentService::Delete(std::int64_t user_id, std::int64_t comment_id) {
  auto comment = repository_.FindById(comment_id);
  if (!comment) {
    return NotFound("COMMENT_NOT_FOUND",
                    "comment " + std::to_string(comment_id) + " does not exist");
  }
  // Comments never change, so what is checked here still holds when the store deletes; a
  // concurrent delete of the same comment is caught there (COMMENT_NOT_FOUND).
  bool allowed = comment->user_id == user_id;
  if (!allowed) {
    auto video_author = videos_.AuthorOf(comment->video_id);
    if (!video_author.ok()) return video_author.status();
    allowed = *video_author == user_id;
  }
  if (!allowed) {
    return PermissionDenied("COMMENT_NOT_YOURS",
                            "only the comment's author or the video's author can delete it");
  }
  auto deleted = repository_.Delete(comment_id);
  if (!deleted.ok()) return deleted.status();
  events_.Publish(
      events::MakeEvent(events::EventKind::kCommentDeleted, deleted->video_id, user_id, NowMs()));
  return deleted;
}

Result<CommentPage> CommentService::List(std::int64_t video_id, std::int64_t cursor, int limit) {
  if (cursor < 0) {
    return InvalidArgument("CURSOR_INVALID", "cursor must be 0 or a next_cursor from a reply");
  }
  if (Status s = VideoMustExist(videos_, video_id); !s.ok()) return s;
  const int size = limit == 0 ? kDefaultPageSize : std::clamp(limit, 1, kMaxPageSize);
  CommentPage page;
  // One row beyond the page tells whether another exists, so the last page says so instead
  // of sending the client after an empty one.
  page.comments = repository_.List(video_id, cursor, size + 1);
  if (page.comments.size() > static_cast<std::size_t>(size)) {
    page.comments.resize(static_cast<std::size_t>(size));
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

std::int64_t CommentService::RemoveCommentsOfVideo(std::int64_t video_id) {
  return repository_.RemoveCommentsOfVideo(video_id);
}

std::vector<VideoCommentCount> CommentService::TopVideos(int limit) {
  return repository_.MostCommented(std::clamp(limit, 1, kMaxTopVideos));
}

std::int64_t CommentService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

}  // namespace reel::comment
