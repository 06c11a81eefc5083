#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace reel::favorite {

/// A like: a user's favorite of a video (a row of `favorites`). The author is kept with it
/// so that removing it takes the like back from the same author's total, whatever happens
/// to the video later.
struct Favorite {
  std::int64_t user_id = 0;
  std::int64_t video_id = 0;
  std::int64_t author_id = 0;
  std::int64_t created_at_ms = 0;
};

/// One entry of a user's liked list: the favorite's id orders the list and is the cursor.
struct LikedVideo {
  std::int64_t favorite_id = 0;
  std::int64_t video_id = 0;
};

/// A page of liked videos, newest like first, and the cursor for the next one (0: no more).
struct LikedPage {
  std::vector<std::int64_t> video_ids;
  std::int64_t next_cursor = 0;
};

struct VideoFavoriteStat {
  std::int64_t favorite_count = 0;
  bool liked_by_viewer = false;
  std::int64_t collect_count = 0;  // bookmarks (收藏)
  bool collected_by_viewer = false;
  std::int64_t share_count = 0;  // shares counted (once per user, video and UTC day)
};

/// A bookmark (收藏) of a video by a user; its id orders the user's list and is the cursor.
struct Bookmark {
  std::int64_t bookmark_id = 0;
  std::int64_t video_id = 0;
};

/// A video's bookmark and share counters.
struct VideoCollectionCounts {
  std::int64_t collect_count = 0;
  std::int64_t share_count = 0;
};

/// What a share did: whether it counted (the first by this user of this video this UTC day)
/// and the video's share_count after it.
struct ShareOutcome {
  bool counted = false;
  std::int64_t share_count = 0;
};

/// A video and how many likes it has: an entry of the most-liked ranking.
struct VideoLikeCount {
  std::int64_t video_id = 0;
  std::int64_t count = 0;
};

struct UserFavoriteStat {
  std::int64_t favorite_count = 0;   // videos this user likes
  std::int64_t total_favorited = 0;  // likes this user's videos received
};

/// What reconciling one counter did: the counter ("table.column") and how many of its rows
/// were set to the true value (created, updated or deleted); 0 when none had drifted.
struct CounterRepair {
  std::string counter;
  std::int64_t rows_fixed = 0;
};

}  // namespace reel::favorite
