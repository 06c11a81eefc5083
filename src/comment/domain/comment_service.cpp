#include "comment/domain/comment_service.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "comment/domain/comment_policy.hpp"
#include "kit/metrics/metrics.hpp"

namespace reel::comment {
namespace {

Status VideoNotFound(std::int64_t video_id) {
  return NotFound("VIDEO_NOT_FOUND", "video " + std::to_string(video_id) + " does not exist");
}

Status CommentNotFound(std::int64_t comment_id, std::string_view why = "does not exist") {
  return NotFound("COMMENT_NOT_FOUND",
                  "comment " + std::to_string(comment_id) + " " + std::string(why));
}

Status CursorInvalid() {
  return InvalidArgument("CURSOR_INVALID", "cursor must be 0 or a next_cursor from a reply");
}

// The author of a video `viewer` may see; VIDEO_NOT_FOUND otherwise, or why the video
// service could not say.
Result<std::int64_t> VisibleVideoAuthor(VideoDirectory& videos, std::int64_t video_id,
                                        std::int64_t viewer) {
  auto author = videos.AuthorOf(video_id, viewer);
  if (!author.ok()) return author.status();
  if (!*author) return VideoNotFound(video_id);
  return **author;
}

int PageSize(int limit) {
  return limit == 0 ? CommentService::kDefaultPageSize
                    : std::clamp(limit, 1, CommentService::kMaxPageSize);
}

// Whether `viewer` may see comment `c` where it is listed (hidden ones only by their author).
bool ShownTo(const Comment& c, std::int64_t viewer) {
  return !c.hidden || (viewer != 0 && c.user_id == viewer);
}

}  // namespace

CommentService::CommentService(CommentRepository& repository, VideoDirectory& videos,
                               BlockList& blocks, const events::CommitHook& committed,
                               const Clock& clock)
    : repository_(repository),
      videos_(videos),
      blocks_(blocks),
      committed_(committed),
      clock_(clock) {}

Result<Comment> CommentService::Create(std::int64_t user_id, std::int64_t video_id,
                                       std::string_view content, std::int64_t parent_id) {
  // The local check first: a bad comment must not cost a call to the video service.
  auto normalized = NormalizeComment(content);
  if (!normalized.ok()) return normalized.status();
  if (parent_id < 0) return CommentNotFound(parent_id);
  auto video_author = VisibleVideoAuthor(videos_, video_id, user_id);
  if (!video_author.ok()) return video_author.status();

  NewComment fresh{video_id, user_id, std::move(*normalized), NowMs()};
  std::optional<Comment> answered;
  if (parent_id != 0) {
    answered = repository_.FindById(parent_id);
    if (!answered) return CommentNotFound(parent_id);
    if (answered->video_id != video_id) {
      return CommentNotFound(parent_id, "is not on video " + std::to_string(video_id));
    }
    if (!ShownTo(*answered, user_id)) return CommentNotFound(parent_id);
    // One level of replies, as Douyin shows them: a reply to a reply joins the same thread
    // and says whom it answers.
    fresh.parent_id = answered->parent_id != 0 ? answered->parent_id : answered->id;
    fresh.reply_to_comment_id = answered->id;
    fresh.reply_to_user_id = answered->user_id;
  }
  if (Status s = MayComment(user_id, *video_author, answered ? &*answered : nullptr); !s.ok()) {
    return s;
  }
  // The store checks the parent again in its write transaction (deleted meanwhile: refused).
  auto comment = repository_.Create(fresh);
  if (!comment.ok()) return comment.status();
  // Had the video been deleted between the check above and the insert, its cascade would
  // have run already and this comment would stay forever, counted. The video service
  // commits a delete before the cascade starts, so asking again now closes that window:
  // either the cascade saw this comment, or this sees the video gone and removes it. (When
  // the video service cannot answer now, the comment stays: it answered a moment ago.)
  if (auto again = videos_.AuthorOf(video_id, VideoDirectory::kAllStates); again.ok() && !*again) {
    (void)repository_.Delete(comment->id);  // COMMENT_NOT_FOUND: the cascade took it already
    committed_.Committed();
    return VideoNotFound(video_id);
  }
  committed_.Committed();
  static auto& comments = metrics::Counter("reel_comments_total", "Comments and replies posted.");
  comments.Increment();
  return comment;
}

// A blocked user can comment on none of the blocker's videos and reply to none of the
// blocker's comments. One question to the relation service covers both.
Status CommentService::MayComment(std::int64_t user_id, std::int64_t video_author,
                                  const Comment* answered) {
  std::vector<std::int64_t> asked;
  if (video_author != user_id) asked.push_back(video_author);
  if (answered && answered->user_id != user_id && answered->user_id != video_author) {
    asked.push_back(answered->user_id);
  }
  if (asked.empty()) return Status::Ok();
  auto blockers = blocks_.BlockedBy(user_id, asked);
  if (!blockers.ok()) return blockers.status();
  if (blockers->empty()) return Status::Ok();
  const bool by_video_author =
      std::find(blockers->begin(), blockers->end(), video_author) != blockers->end();
  return PermissionDenied("BLOCKED", by_video_author
                                         ? "the video's author has blocked you"
                                         : "the author of that comment has blocked you");
}

Result<Comment> CommentService::Delete(std::int64_t user_id, std::int64_t comment_id) {
  auto comment = repository_.FindById(comment_id);
  if (!comment) return CommentNotFound(comment_id);
  // Comments never change owner, so what is checked here still holds when the store
  // deletes; a concurrent delete of the same comment is caught there (COMMENT_NOT_FOUND).
  bool allowed = comment->user_id == user_id;
  if (!allowed) {
    auto video_author = videos_.AuthorOf(comment->video_id, VideoDirectory::kAllStates);
    if (!video_author.ok()) return video_author.status();
    allowed = *video_author == user_id;
  }
  if (!allowed) {
    return PermissionDenied("COMMENT_NOT_YOURS",
                            "only the comment's author or the video's author can delete it");
  }
  auto deleted = repository_.Delete(comment_id);
  if (!deleted.ok()) return deleted.status();
  committed_.Committed();
  return deleted;
}

Result<CommentFilter> CommentService::FilterFor(std::int64_t viewer_id) {
  CommentFilter filter{viewer_id, {}};
  if (viewer_id == 0) return filter;  // an anonymous viewer blocked nobody
  auto blocked = blocks_.BlockedIds(viewer_id);
  // A relation outage must not take the comments down with it: the viewer then sees the
  // blocked users' comments until it is back (refusing writes is BlockedBy's job, which
  // does not degrade).
  if (!blocked.ok() && blocked.status().code == Code::kUnavailable) return filter;
  if (!blocked.ok()) return blocked.status();
  filter.excluded_authors = std::move(*blocked);
  return filter;
}

Result<CommentPage> CommentService::List(std::int64_t video_id, std::int64_t cursor, int limit,
                                         bool top_level_only, std::int64_t viewer_id) {
  if (cursor < 0) return CursorInvalid();
  if (auto author = VisibleVideoAuthor(videos_, video_id, viewer_id); !author.ok()) {
    return author.status();
  }
  auto filter = FilterFor(viewer_id);
  if (!filter.ok()) return filter.status();
  const int size = PageSize(limit);
  // One row beyond the page tells whether another exists, so the last page says so instead
  // of sending the client after an empty one.
  std::vector<Comment> comments =
      repository_.List(video_id, top_level_only, *filter, cursor, size + 1);
  CommentPage page;
  if (comments.size() > static_cast<std::size_t>(size)) {
    comments.resize(static_cast<std::size_t>(size));
    page.next_cursor = comments.back().id;
  }
  std::vector<std::int64_t> ids;
  for (Comment& c : comments) {
    ids.push_back(c.id);
    page.comments.push_back(CommentThread{std::move(c), 0, {}});
  }
  if (top_level_only && !ids.empty()) {
    const auto counts = repository_.CountReplies(ids, *filter);
    for (CommentThread& thread : page.comments) {
      const auto it = counts.find(thread.comment.id);
      if (it == counts.end()) continue;
      thread.reply_count = it->second;
      thread.first_replies = repository_.ListReplies(thread.comment.id, *filter, 0, kFirstReplies);
    }
  }
  return page;
}

Result<ReplyPage> CommentService::ListReplies(std::int64_t comment_id, std::int64_t cursor,
                                              int limit, std::int64_t viewer_id) {
  if (cursor < 0) return CursorInvalid();
  auto parent = repository_.FindById(comment_id);
  if (!parent) return CommentNotFound(comment_id);
  if (parent->parent_id != 0) {
    return CommentNotFound(
        comment_id, "is a reply; its thread is comment " + std::to_string(parent->parent_id));
  }
  if (!ShownTo(*parent, viewer_id)) return CommentNotFound(comment_id);
  // The thread is as visible as its video: another's private video hides its comments too.
  auto author = videos_.AuthorOf(parent->video_id, viewer_id);
  if (!author.ok()) return author.status();
  if (!*author) return CommentNotFound(comment_id);
  auto filter = FilterFor(viewer_id);
  if (!filter.ok()) return filter.status();
  const int size = PageSize(limit);
  ReplyPage page;
  page.replies = repository_.ListReplies(comment_id, *filter, cursor, size + 1);
  if (page.replies.size() > static_cast<std::size_t>(size)) {
    page.replies.resize(static_cast<std::size_t>(size));
    page.next_cursor = page.replies.back().id;
  }
  return page;
}

Result<std::vector<Comment>> CommentService::GetComments(std::span<const std::int64_t> ids) {
  if (ids.size() > static_cast<std::size_t>(kMaxGetComments)) {
    return InvalidArgument("PARAM_INVALID", "at most " + std::to_string(kMaxGetComments) +
                                                " comments can be asked for at once");
  }
  return repository_.FindMany(ids);
}

Result<Comment> CommentService::SetHidden(std::int64_t comment_id, bool hidden) {
  return repository_.SetHidden(comment_id, hidden);
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

std::vector<CounterRepair> CommentService::ReconcileCounters() {
  return repository_.ReconcileCounters();
}

std::vector<VideoCommentCount> CommentService::TopVideos(int limit) {
  return repository_.MostCommented(std::clamp(limit, 1, kMaxTopVideos));
}

std::int64_t CommentService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

}  // namespace reel::comment
