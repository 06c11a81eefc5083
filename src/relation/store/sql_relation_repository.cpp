#include "relation/store/sqlite_relation_repository.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>

namespace reel::relation {
namespace {

// Counters move only in the transaction that inserted or deleted the follow row, so they
// always equal a count of the rows. MAX(..., 0) is a last guard: a counter never goes negative.
constexpr std::string_view kAddFollowing =
    "INSERT INTO follow_counts (user_id, follow_count) VALUES (?, 1) "
    "ON CONFLICT (user_id) DO UPDATE SET follow_count = follow_count + 1";
constexpr std::string_view kAddFollower =
    "INSERT INTO follow_counts (user_id, follower_count) VALUES (?, 1) "
    "ON CONFLICT (user_id) DO UPDATE SET follower_count = follower_count + 1";
constexpr std::string_view kTakeFollowing =
    "UPDATE follow_counts SET follow_count = MAX(follow_count - 1, 0) WHERE user_id = ?";
constexpr std::string_view kTakeFollower =
    "UPDATE follow_counts SET follower_count = MAX(follower_count - 1, 0) WHERE user_id = ?";

// Each listing walks one index backwards from the cursor: (follower_id, id) or
// (followee_id, id). Friends are user_id's own follows that have a follow back.
constexpr std::string_view kListFollowing =
    "SELECT id, followee_id FROM follows WHERE follower_id = ?1 AND id < ?2 "
    "ORDER BY id DESC LIMIT ?3";
constexpr std::string_view kListFollowers =
    "SELECT id, follower_id FROM follows WHERE followee_id = ?1 AND id < ?2 "
    "ORDER BY id DESC LIMIT ?3";
constexpr std::string_view kListFriends =
    "SELECT f.id, f.followee_id FROM follows f WHERE f.follower_id = ?1 AND f.id < ?2 "
    "AND EXISTS (SELECT 1 FROM follows b WHERE b.follower_id = f.followee_id "
    "AND b.followee_id = ?1) ORDER BY f.id DESC LIMIT ?3";

// Id lists travel as one JSON array parameter (json_each), so a batch of any size is one
// query and one cached statement, rather than a statement per list length.
constexpr std::string_view kCounts =
    "SELECT user_id, follow_count, follower_count FROM follow_counts "
    "WHERE user_id IN (SELECT value FROM json_each(?))";
constexpr std::string_view kFollowedBy =
    "SELECT followee_id FROM follows "
    "WHERE follower_id = ? AND followee_id IN (SELECT value FROM json_each(?))";

// Either direction of a block between ?1 and ?2 stops a follow (and is checked inside the
// follow's own transaction).
constexpr std::string_view kFollowUnlessBlocked =
    "INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at_ms) "
    "SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM blocks WHERE "
    "(blocker_id = ?1 AND blocked_id = ?2) OR (blocker_id = ?2 AND blocked_id = ?1))";
constexpr std::string_view kListBlocked =
    "SELECT id, blocked_id FROM blocks WHERE blocker_id = ?1 AND id < ?2 "
    "ORDER BY id DESC LIMIT ?3";
constexpr std::string_view kBlockersOf =
    "SELECT blocker_id FROM blocks "
    "WHERE blocked_id = ? AND blocker_id IN (SELECT value FROM json_each(?))";

constexpr std::string_view kMessageColumns = "id, from_user_id, to_user_id, content, created_at_ms";

// For each peer, one descent of messages_by_pair to the pair's newest message.
constexpr std::string_view kLatest =
    "SELECT m.id, m.from_user_id, m.to_user_id, m.content, m.created_at_ms "
    "FROM json_each(?2) AS p JOIN messages m ON m.id = ("
    "SELECT id FROM messages WHERE user_low = MIN(?1, p.value) AND user_high = MAX(?1, p.value) "
    "ORDER BY created_at_ms DESC LIMIT 1)";

std::string JsonIds(std::span<const std::int64_t> ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  out += ']';
  return out;
}

Message ReadMessage(const db::Statement& row) {
  return Message{row.Int(0), row.Int(1), row.Int(2), row.Text(3), row.Int(4)};
}

std::int64_t LatestMessageTime(db::Connection& conn) {
  // created_at_ms is UNIQUE, so its index answers MAX in one step.
  auto latest = conn.Prepare("SELECT COALESCE(MAX(created_at_ms), 0) FROM messages");
  latest.Step();
  return latest.Int(0);
}

// Deletes the follow row and, when there was one, takes it from both counters, inside the
// caller's transaction.
bool DeleteFollow(db::Connection& conn, std::int64_t follower_id, std::int64_t followee_id) {
  conn.Prepare("DELETE FROM follows WHERE follower_id = ? AND followee_id = ?")
      .BindAll(follower_id, followee_id)
      .Run();
  if (conn.Changes() == 0) return false;  // was not following: nothing moves
  conn.Prepare(kTakeFollowing).BindAll(follower_id).Run();
  conn.Prepare(kTakeFollower).BindAll(followee_id).Run();
  return true;
}

}  // namespace

bool SqliteRelationRepository::Follow(std::int64_t follower_id, std::int64_t followee_id,
                                      std::int64_t created_at_ms) {
  return db_.Write([&](db::Connection& conn) {
    conn.Prepare(kFollowUnlessBlocked).BindAll(follower_id, followee_id, created_at_ms).Run();
    if (conn.Changes() == 0) return false;  // already following, or blocked: nothing moves
    conn.Prepare(kAddFollowing).BindAll(follower_id).Run();
    conn.Prepare(kAddFollower).BindAll(followee_id).Run();
    return true;
  });
}

bool SqliteRelationRepository::Unfollow(std::int64_t follower_id, std::int64_t followee_id) {
  return db_.Write(
      [&](db::Connection& conn) { return DeleteFollow(conn, follower_id, followee_id); });
}

std::vector<RelationEntry> SqliteRelationRepository::List(std::int64_t user_id, RelationKind kind,
                                                          std::int64_t before_id, int limit) {
  const std::int64_t bound = before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max();
  const std::string_view sql = kind == RelationKind::kFollowing   ? kListFollowing
                               : kind == RelationKind::kFollowers ? kListFollowers
                                                                  : kListFriends;
  return db_.Read([&](db::Connection& conn) {
    std::vector<RelationEntry> entries;
    auto rows = conn.Prepare(sql);
    rows.BindAll(user_id, bound, limit);
    while (rows.Step()) entries.push_back(RelationEntry{rows.Int(0), rows.Int(1)});
    return entries;
  });
}

std::unordered_map<std::int64_t, FollowStat> SqliteRelationRepository::Counts(
    std::span<const std::int64_t> user_ids) {
  return db_.Read([&](db::Connection& conn) {
    std::unordered_map<std::int64_t, FollowStat> counts;
    auto rows = conn.Prepare(kCounts);
    rows.BindAll(JsonIds(user_ids));
    while (rows.Step()) counts[rows.Int(0)] = FollowStat{rows.Int(1), rows.Int(2), false};
    return counts;
  });
}

std::vector<std::int64_t> SqliteRelationRepository::FollowedBy(
    std::int64_t viewer_id, std::span<const std::int64_t> user_ids) {
  return db_.Read([&](db::Connection& conn) {
    std::vector<std::int64_t> followed;
    auto rows = conn.Prepare(kFollowedBy);
    rows.BindAll(viewer_id, JsonIds(user_ids));
    while (rows.Step()) followed.push_back(rows.Int(0));
    return followed;
  });
}

Message SqliteRelationRepository::CreateMessage(const NewMessage& m) {
  return db_.Write([&](db::Connection& conn) {
    // Inside the write transaction no other message can take the same time.
    const std::int64_t created_at = std::max(m.created_at_ms, LatestMessageTime(conn) + 1);
    conn.Prepare(
            "INSERT INTO messages (from_user_id, to_user_id, user_low, user_high, content, "
            "created_at_ms) VALUES (?, ?, ?, ?, ?, ?)")
        .BindAll(m.from_user_id, m.to_user_id, std::min(m.from_user_id, m.to_user_id),
                 std::max(m.from_user_id, m.to_user_id), m.content, created_at)
        .Run();
    return Message{conn.LastInsertId(), m.from_user_id, m.to_user_id, m.content, created_at};
  });
}

std::vector<Message> SqliteRelationRepository::Chat(std::int64_t user_id, std::int64_t peer_id,
                                                    std::int64_t after_ms, int limit) {
  return db_.Read([&](db::Connection& conn) {
    std::vector<Message> messages;
    auto rows = conn.Prepare("SELECT " + std::string(kMessageColumns) +
                             " FROM messages WHERE user_low = ? AND user_high = ? AND "
                             "created_at_ms > ? ORDER BY created_at_ms LIMIT ?");
    rows.BindAll(std::min(user_id, peer_id), std::max(user_id, peer_id), after_ms, limit);
    while (rows.Step()) messages.push_back(ReadMessage(rows));
    return messages;
  });
}

std::unordered_map<std::int64_t, Message> SqliteRelationRepository::Latest(
    std::int64_t user_id, std::span<const std::int64_t> peer_ids) {
  return db_.Read([&](db::Connection& conn) {
    std::unordered_map<std::int64_t, Message> latest;
    auto rows = conn.Prepare(kLatest);
    rows.BindAll(user_id, JsonIds(peer_ids));
    while (rows.Step()) {
      Message m = ReadMessage(rows);
      const std::int64_t peer = m.from_user_id == user_id ? m.to_user_id : m.from_user_id;
      latest.insert_or_assign(peer, std::move(m));
    }
    return latest;
  });
}

bool SqliteRelationRepository::Block(std::int64_t blocker_id, std::int64_t blocked_id,
                                     std::int64_t created_at_ms) {
  return db_.Write([&](db::Connection& conn) {
    conn.Prepare(
            "INSERT OR IGNORE INTO blocks (blocker_id, blocked_id, created_at_ms) "
            "VALUES (?, ?, ?)")
        .BindAll(blocker_id, blocked_id, created_at_ms)
        .Run();
    // Already blocked: no follow between them can have been made since.
    if (conn.Changes() == 0) return false;
    // A block ends the relation both ways, counters with it, in the block's transaction.
    DeleteFollow(conn, blocker_id, blocked_id);
    DeleteFollow(conn, blocked_id, blocker_id);
    return true;
  });
}

bool SqliteRelationRepository::Unblock(std::int64_t blocker_id, std::int64_t blocked_id) {
  return db_.Write([&](db::Connection& conn) {
    conn.Prepare("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?")
        .BindAll(blocker_id, blocked_id)
        .Run();
    return conn.Changes() > 0;
  });
}

std::vector<RelationEntry> SqliteRelationRepository::ListBlocked(std::int64_t blocker_id,
                                                                 std::int64_t before_id,
                                                                 int limit) {
  const std::int64_t bound = before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max();
  return db_.Read([&](db::Connection& conn) {
    std::vector<RelationEntry> entries;
    auto rows = conn.Prepare(kListBlocked);
    rows.BindAll(blocker_id, bound, limit);
    while (rows.Step()) entries.push_back(RelationEntry{rows.Int(0), rows.Int(1)});
    return entries;
  });
}

std::vector<std::int64_t> SqliteRelationRepository::BlockersOf(
    std::int64_t actor_id, std::span<const std::int64_t> user_ids) {
  return db_.Read([&](db::Connection& conn) {
    std::vector<std::int64_t> blockers;
    auto rows = conn.Prepare(kBlockersOf);
    rows.BindAll(actor_id, JsonIds(user_ids));
    while (rows.Step()) blockers.push_back(rows.Int(0));
    return blockers;
  });
}

}  // namespace reel::relation
