#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace reel::comment {

/// A comment on a video, or a reply to one. Comments are never edited: a stored one changes
/// only by being hidden or shown (moderation) or deleted.
///
/// Replies (issue 16) are one level deep, as Douyin shows them: a reply's parent_id is the
/// top-level comment it sits under, even when it answers another reply; reply_to_comment_id
/// is the comment it answers and reply_to_user_id that comment's author ("A ▸ B"). All three
/// are 0 on a top-level comment.
struct Comment {
  std::int64_t id = 0;  // increases with every comment, so it orders them by age
  std::int64_t video_id = 0;
  std::int64_t user_id = 0;  // the author
  std::string content;
  std::int64_t created_at_ms = 0;
  std::int64_t parent_id = 0;
  std::int64_t reply_to_user_id = 0;
  std::int64_t reply_to_comment_id = 0;
  bool hidden = false;  // by moderation: listed to its author only, not counted
};

/// What creating a comment asks the store to keep (content already normalised). For a
/// reply, all three reply fields are set as in Comment.
struct NewComment {
  std::int64_t video_id = 0;
  std::int64_t user_id = 0;
  std::string content;
  std::int64_t created_at_ms = 0;
  std::int64_t parent_id = 0;
  std::int64_t reply_to_user_id = 0;
  std::int64_t reply_to_comment_id = 0;
};

/// Which comments a listing shows to its viewer: none that are hidden, except the viewer's
/// own, and none by the users the viewer blocked.
struct CommentFilter {
  std::int64_t viewer_id = 0;  // 0: anonymous
  std::vector<std::int64_t> excluded_authors;
};

/// A top-level comment as the /api list shows it: its replies the viewer would see, counted,
/// and the first few of them, oldest first.
struct CommentThread {
  Comment comment;
  std::int64_t reply_count = 0;
  std::vector<Comment> first_replies;
};

/// A video and how many comments it has: an entry of the most-commented ranking.
struct VideoCommentCount {
  std::int64_t video_id = 0;
  std::int64_t count = 0;
};

/// What reconciling one counter did: the counter ("table.column") and how many of its rows
/// were set to the true value (created, updated or deleted); 0 when none had drifted.
struct CounterRepair {
  std::string counter;
  std::int64_t rows_fixed = 0;
};

}  // namespace reel::comment
