#include "relation/store/sql_relation_repository.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace reel::relation {
namespace {

// Counters move only in the transaction that inserted or deleted the follow row, so they
// always equal a count of the rows. The CASE is a last guard: a counter never goes negative.
constexpr std::string_view kAddFollowing =
    "INSERT INTO follow_counts (user_id, follow_count) VALUES (?, 1) "
    "ON CONFLICT (user_id) DO UPDATE SET follow_count = follow_count + 1";
constexpr std::string_view kAddFollower =
    "INSERT INTO follow_counts (user_id, follower_count) VALUES (?, 1) "
    "ON CONFLICT (user_id) DO UPDATE SET follower_count = follower_count + 1";
constexpr std::string_view kTakeFollowing =
    "UPDATE follow_counts SET follow_count = "
    "CASE WHEN follow_count > 0 THEN follow_count - 1 ELSE 0 END WHERE user_id = ?";
constexpr std::string_view kTakeFollower =
    "UPDATE follow_counts SET follower_count = "
    "CASE WHEN follower_count > 0 THEN follower_count - 1 ELSE 0 END WHERE user_id = ?";

// Each listing walks one index backwards from the cursor: (follower_id, id) or
// (followee_id, id). Friends are user_id's own follows that have a follow back.
// Binds: user, bound, limit (friends: user, bound, user, limit).
constexpr std::string_view kListFollowing =
    "SELECT id, followee_id FROM follows WHERE follower_id = ? AND id < ? "
    "ORDER BY id DESC LIMIT ?";
constexpr std::string_view kListFollowers =
    "SELECT id, follower_id FROM follows WHERE followee_id = ? AND id < ? "
    "ORDER BY id DESC LIMIT ?";
constexpr std::string_view kListFriends =
    "SELECT f.id, f.followee_id FROM follows f WHERE f.follower_id = ? AND f.id < ? "
    "AND EXISTS (SELECT 1 FROM follows b WHERE b.follower_id = f.followee_id "
    "AND b.followee_id = ?) ORDER BY f.id DESC LIMIT ?";

// Either direction of a block between follower and followee stops a follow, checked by the
// insert itself after LockPair (binds: follower, followee, time, follower, followee,
// followee, follower), so a block cannot slip between a check and the insert.
constexpr std::string_view kFollowUnlessBlocked =
    "INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at_ms) "
    "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM blocks WHERE "
    "(blocker_id = ? AND blocked_id = ?) OR (blocker_id = ? AND blocked_id = ?))";
constexpr std::string_view kListBlocked =
    "SELECT id, blocked_id FROM blocks WHERE blocker_id = ? AND id < ? "
    "ORDER BY id DESC LIMIT ?";

constexpr std::string_view kMessageColumns = "id, from_user_id, to_user_id, content, created_at_ms";

// The newest message of one pair: one descent of messages_by_pair.
constexpr std::string_view kLatest =
    "SELECT id, from_user_id, to_user_id, content, created_at_ms FROM messages "
    "WHERE user_low = ? AND user_high = ? ORDER BY created_at_ms DESC LIMIT 1";

// Id lists travel as `IN (?,?,...)` in chunks of at most kChunk ids: one cached statement
// per distinct chunk length, and pages are at most a few dozen ids, so a batch is one or
// two round trips on either engine (json_each, which SQLite used here, is SQLite's own).
constexpr std::size_t kChunk = 64;

std::string Placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

// Runs `sql_head + "(?,...)"` for each chunk of `ids`, binding `leading` (when given) before
// the ids, and calls `row(stmt)` for every row.
template <typename RowFn>
void ForEachChunk(db::Connection& conn, std::string_view sql_head,
                  std::optional<std::int64_t> leading, std::span<const std::int64_t> ids,
                  RowFn&& row) {
  for (std::size_t at = 0; at < ids.size(); at += kChunk) {
    const auto chunk = ids.subspan(at, std::min(kChunk, ids.size() - at));
    auto rows = conn.Prepare(std::string(sql_head) + "(" + Placeholders(chunk.size()) + ")");
    int index = 1;
    if (leading) rows.Bind(index++, *leading);
    for (const std::int64_t id : chunk) rows.Bind(index++, id);
    while (rows.Step()) row(rows);
  }
}

Message ReadMessage(const db::Statement& row) {
  return Message{row.Int(0), row.Int(1), row.Int(2), row.Text(3), row.Int(4)};
}

// A message takes the later of the time asked for and one past the newest message's (binds:
// asked, asked). The clock row is updated before anything is read, so it also serialises
// senders on MariaDB, whose plain reads inside a transaction do not wait for a concurrent
// writer (two senders reading MAX(created_at_ms) at once would take the same time).
constexpr std::string_view kTickMessageClock =
    "UPDATE message_clock SET last_ms = CASE WHEN last_ms + 1 > ? THEN last_ms + 1 ELSE ? END "
    "WHERE id = 1";

// Locks both users' counter rows, lower id first, before a follow or a block between them
// reads anything: on MariaDB a follow and a block of the same pair then run one after the
// other, so the follow's NOT EXISTS sees a block committed before it and a block's DELETE
// sees a follow committed before it. (SQLite's single writer serialises them anyway.) The
// no-op upsert creates a zero row for a user without one.
constexpr std::string_view kLockCounts =
    "INSERT INTO follow_counts (user_id) VALUES (?) "
    "ON CONFLICT (user_id) DO UPDATE SET follow_count = follow_count";

void LockPair(db::Connection& conn, std::int64_t a, std::int64_t b) {
  conn.Prepare(kLockCounts).BindAll(std::min(a, b)).Run();
  if (a != b) conn.Prepare(kLockCounts).BindAll(std::max(a, b)).Run();
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

bool SqlRelationRepository::Follow(std::int64_t follower_id, std::int64_t followee_id,
                                   std::int64_t created_at_ms) {
  return db_.Write([&](db::Connection& conn) {
    LockPair(conn, follower_id, followee_id);
    conn.Prepare(kFollowUnlessBlocked)
        .BindAll(follower_id, followee_id, created_at_ms, follower_id, followee_id, followee_id,
                 follower_id)
        .Run();
    if (conn.Changes() == 0) return false;  // already following, or blocked: nothing moves
    conn.Prepare(kAddFollowing).BindAll(follower_id).Run();
    conn.Prepare(kAddFollower).BindAll(followee_id).Run();
    return true;
  });
}

bool SqlRelationRepository::Unfollow(std::int64_t follower_id, std::int64_t followee_id) {
  return db_.Write([&](db::Connection& conn) {
    LockPair(conn, follower_id, followee_id);  // the same lock order as Follow and Block
    return DeleteFollow(conn, follower_id, followee_id);
  });
}

std::vector<RelationEntry> SqlRelationRepository::List(std::int64_t user_id, RelationKind kind,
                                                       std::int64_t before_id, int limit) {
  const std::int64_t bound = before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max();
  const std::string_view sql = kind == RelationKind::kFollowing   ? kListFollowing
                               : kind == RelationKind::kFollowers ? kListFollowers
                                                                  : kListFriends;
  return db_.Read([&](db::Connection& conn) {
    std::vector<RelationEntry> entries;
    auto rows = conn.Prepare(sql);
    if (kind == RelationKind::kFriends) {
      rows.BindAll(user_id, bound, user_id, limit);
    } else {
      rows.BindAll(user_id, bound, limit);
    }
    while (rows.Step()) entries.push_back(RelationEntry{rows.Int(0), rows.Int(1)});
    return entries;
  });
}

std::unordered_map<std::int64_t, FollowStat> SqlRelationRepository::Counts(
    std::span<const std::int64_t> user_ids) {
  return db_.Read([&](db::Connection& conn) {
    std::unordered_map<std::int64_t, FollowStat> counts;
    ForEachChunk(conn,
                 "SELECT user_id, follow_count, follower_count FROM follow_counts "
                 "WHERE user_id IN ",
                 std::nullopt, user_ids, [&](const db::Statement& row) {
                   counts[row.Int(0)] = FollowStat{row.Int(1), row.Int(2), false};
                 });
    return counts;
  });
}

std::vector<std::int64_t> SqlRelationRepository::FollowedBy(
    std::int64_t viewer_id, std::span<const std::int64_t> user_ids) {
  return db_.Read([&](db::Connection& conn) {
    std::vector<std::int64_t> followed;
    ForEachChunk(conn, "SELECT followee_id FROM follows WHERE follower_id = ? AND followee_id IN ",
                 viewer_id, user_ids,
                 [&](const db::Statement& row) { followed.push_back(row.Int(0)); });
    return followed;
  });
}

Message SqlRelationRepository::CreateMessage(const NewMessage& m) {
  return db_.Write([&](db::Connection& conn) {
    conn.Prepare(kTickMessageClock).BindAll(m.created_at_ms, m.created_at_ms).Run();
    auto clock = conn.Prepare("SELECT last_ms FROM message_clock WHERE id = 1");
    if (!clock.Step()) throw db::Error(db::Error::Kind::kOther, 0, "message_clock has no row");
    const std::int64_t created_at = clock.Int(0);
    clock.Run();
    conn.Prepare(
            "INSERT INTO messages (from_user_id, to_user_id, user_low, user_high, content, "
            "created_at_ms) VALUES (?, ?, ?, ?, ?, ?)")
        .BindAll(m.from_user_id, m.to_user_id, std::min(m.from_user_id, m.to_user_id),
                 std::max(m.from_user_id, m.to_user_id), m.content, created_at)
        .Run();
    return Message{conn.LastInsertId(), m.from_user_id, m.to_user_id, m.content, created_at};
  });
}

std::vector<Message> SqlRelationRepository::Chat(std::int64_t user_id, std::int64_t peer_id,
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

std::unordered_map<std::int64_t, Message> SqlRelationRepository::Latest(
    std::int64_t user_id, std::span<const std::int64_t> peer_ids) {
  return db_.Read([&](db::Connection& conn) {
    std::unordered_map<std::int64_t, Message> latest;
    // One indexed lookup per peer (a page of conversations): the pair is ordered here, as
    // MIN/MAX of two values is SQLite's own.
    for (const std::int64_t peer : peer_ids) {
      auto row = conn.Prepare(kLatest);
      row.BindAll(std::min(user_id, peer), std::max(user_id, peer));
      if (row.Step()) latest.insert_or_assign(peer, ReadMessage(row));
      row.Run();
    }
    return latest;
  });
}

bool SqlRelationRepository::Block(std::int64_t blocker_id, std::int64_t blocked_id,
                                  std::int64_t created_at_ms) {
  return db_.Write([&](db::Connection& conn) {
    LockPair(conn, blocker_id, blocked_id);
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

bool SqlRelationRepository::Unblock(std::int64_t blocker_id, std::int64_t blocked_id) {
  return db_.Write([&](db::Connection& conn) {
    conn.Prepare("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?")
        .BindAll(blocker_id, blocked_id)
        .Run();
    return conn.Changes() > 0;
  });
}

std::vector<RelationEntry> SqlRelationRepository::ListBlocked(std::int64_t blocker_id,
                                                              std::int64_t before_id, int limit) {
  const std::int64_t bound = before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max();
  return db_.Read([&](db::Connection& conn) {
    std::vector<RelationEntry> entries;
    auto rows = conn.Prepare(kListBlocked);
    rows.BindAll(blocker_id, bound, limit);
    while (rows.Step()) entries.push_back(RelationEntry{rows.Int(0), rows.Int(1)});
    return entries;
  });
}

std::vector<std::int64_t> SqlRelationRepository::BlockersOf(
    std::int64_t actor_id, std::span<const std::int64_t> user_ids) {
  return db_.Read([&](db::Connection& conn) {
    std::vector<std::int64_t> blockers;
    ForEachChunk(conn, "SELECT blocker_id FROM blocks WHERE blocked_id = ? AND blocker_id IN ",
                 actor_id, user_ids,
                 [&](const db::Statement& row) { blockers.push_back(row.Int(0)); });
    return blockers;
  });
}

std::vector<CounterRepair> SqlRelationRepository::ReconcileCounters() {
  // Each counter: its follow_counts column and the follows column that names its user.
  struct Counter {
    std::string_view column;
    std::string_view counted_by;
  };
  constexpr Counter kCounters[] = {{"follow_count", "follower_id"},
                                   {"follower_count", "followee_id"}};
  std::vector<CounterRepair> repairs;
  for (const Counter& counter : kCounters) {
    const std::string col(counter.column), by(counter.counted_by);
    const std::string truth =
        "(SELECT COUNT(*) FROM follows f WHERE f." + by + " = follow_counts.user_id)";
    // One transaction per counter. COUNT(*) of no follows is 0: a counter left behind by
    // follows that are gone drops to 0. A row is created only for a user with follows, the
    // other column at its default 0 (its own pass fixes it if needed).
    const std::int64_t fixed = db_.Write([&](db::Connection& conn) {
      conn.Prepare("UPDATE follow_counts SET " + col + " = " + truth + " WHERE " + col + " <> " +
                   truth)
          .Run();
      std::int64_t rows = conn.Changes();
      conn.Prepare("INSERT INTO follow_counts (user_id, " + col + ") SELECT f." + by +
                   ", COUNT(*) FROM follows f WHERE NOT EXISTS (SELECT 1 FROM follow_counts c "
                   "WHERE c.user_id = f." +
                   by + ") GROUP BY f." + by)
          .Run();
      rows += conn.Changes();
      return rows;
    });
    repairs.push_back(CounterRepair{"follow_counts." + col, fixed});
  }
  return repairs;
}

}  // namespace reel::relation
