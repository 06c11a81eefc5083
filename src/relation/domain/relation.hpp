#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace reel::relation {

/// Which side of the follow graph a listing walks.
enum class RelationKind {
  kFollowing,  // whom the user follows
  kFollowers,  // who follows the user
  kFriends,    // users the user follows who follow back
};

/// One user in a listing, with the id of the follow row that put it there: listings are
/// ordered by that id (newest first) and page on it.
struct RelationEntry {
  std::int64_t follow_id = 0;
  std::int64_t user_id = 0;
};

/// A page of a listing and the cursor for the next one (0 when there is no more).
struct RelationPage {
  std::vector<std::int64_t> user_ids;
  std::int64_t next_cursor = 0;
};

/// A user's follow counters and whether the viewer follows them.
struct FollowStat {
  std::int64_t follow_count = 0;
  std::int64_t follower_count = 0;
  bool followed_by_viewer = false;
};

/// A stored direct message. created_at_ms is unique and increasing across all messages.
struct Message {
  std::int64_t id = 0;
  std::int64_t from_user_id = 0;
  std::int64_t to_user_id = 0;
  std::string content;
  std::int64_t created_at_ms = 0;
};

/// A message to store; created_at_ms is the requested time (the store may move it later).
struct NewMessage {
  std::int64_t from_user_id = 0;
  std::int64_t to_user_id = 0;
  std::string content;
  std::int64_t created_at_ms = 0;
};

/// What reconciling one counter did: the counter ("table.column") and how many of its rows
/// were set to the true value (created, updated or deleted); 0 when none had drifted.
struct CounterRepair {
  std::string counter;
  std::int64_t rows_fixed = 0;
};

}  // namespace reel::relation
