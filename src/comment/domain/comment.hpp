#pragma once

#include <cstdint>
#include <string>

namespace reel::comment {

/// A comment on a video. Comments are never edited: a stored one changes only by being
/// deleted.
struct Comment {
  std::int64_t id = 0;  // increases with every comment, so it orders them by age
  std::int64_t video_id = 0;
  std::int64_t user_id = 0;  // the author
  std::string content;
  std::int64_t created_at_ms = 0;
};

/// What creating a comment asks the store to keep (content already normalised).
struct NewComment {
  std::int64_t video_id = 0;
  std::int64_t user_id = 0;
  std::string content;
  std::int64_t created_at_ms = 0;
};

/// A video and how many comments it has: an entry of the most-commented ranking.
struct VideoCommentCount {
  std::int64_t video_id = 0;
  std::int64_t count = 0;
};

}  // namespace reel::comment
