#include "relation/store/relation_migrations.hpp"

namespace reel::relation {
namespace {

constexpr db::Migration kMigrations[] = {
    {1, "follows, follow counters and messages", R"sql(
CREATE TABLE follows (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  follower_id   INTEGER NOT NULL,
  followee_id   INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  -- One row per pair: following twice is a no-op, not a second row.
  UNIQUE (follower_id, followee_id)
);
-- Listings page newest first on the row id, in both directions.
CREATE INDEX follows_by_follower ON follows (follower_id, id);
CREATE INDEX follows_by_followee ON follows (followee_id, id);

-- Kept in step with follows inside the same transactions, so reading a count is one lookup.
CREATE TABLE follow_counts (
  user_id        INTEGER PRIMARY KEY,
  follow_count   INTEGER NOT NULL DEFAULT 0 CHECK (follow_count >= 0),
  follower_count INTEGER NOT NULL DEFAULT 0 CHECK (follower_count >= 0)
);

CREATE TABLE messages (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  from_user_id  INTEGER NOT NULL,
  to_user_id    INTEGER NOT NULL,
  -- The pair without direction, so one index serves a conversation both ways.
  user_low      INTEGER NOT NULL,
  user_high     INTEGER NOT NULL,
  content       TEXT    NOT NULL,
  -- Unique, so a chat polled by time never repeats or skips a message.
  created_at_ms INTEGER NOT NULL UNIQUE,
  CHECK (user_low = MIN(from_user_id, to_user_id) AND user_high = MAX(from_user_id, to_user_id))
);
CREATE INDEX messages_by_pair ON messages (user_low, user_high, created_at_ms);
)sql",
     // MySQL: LEAST/GREATEST for SQLite's two-argument MIN/MAX in the CHECK.
     R"sql(
CREATE TABLE follows (
  id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  follower_id   BIGINT NOT NULL,
  followee_id   BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  UNIQUE KEY follows_pair (follower_id, followee_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX follows_by_follower ON follows (follower_id, id);
CREATE INDEX follows_by_followee ON follows (followee_id, id);
CREATE TABLE follow_counts (
  user_id        BIGINT NOT NULL PRIMARY KEY,
  follow_count   BIGINT NOT NULL DEFAULT 0 CHECK (follow_count >= 0),
  follower_count BIGINT NOT NULL DEFAULT 0 CHECK (follower_count >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE messages (
  id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  from_user_id  BIGINT NOT NULL,
  to_user_id    BIGINT NOT NULL,
  user_low      BIGINT NOT NULL,
  user_high     BIGINT NOT NULL,
  content       TEXT   NOT NULL,
  created_at_ms BIGINT NOT NULL,
  UNIQUE KEY messages_created_at_ms (created_at_ms),
  CONSTRAINT messages_pair CHECK (user_low = LEAST(from_user_id, to_user_id) AND
                                  user_high = GREATEST(from_user_id, to_user_id))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX messages_by_pair ON messages (user_low, user_high, created_at_ms)
)sql"},
    {2, "blocks (issue 16)", R"sql(
CREATE TABLE blocks (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  blocker_id    INTEGER NOT NULL,
  blocked_id    INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  -- One row per pair: blocking twice is a no-op.
  UNIQUE (blocker_id, blocked_id)
);
-- The blocked list pages newest first on the row id; BlockedBy asks by the blocked side.
CREATE INDEX blocks_by_blocker ON blocks (blocker_id, id);
CREATE INDEX blocks_by_blocked ON blocks (blocked_id, blocker_id);
)sql",
     R"sql(
CREATE TABLE blocks (
  id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  blocker_id    BIGINT NOT NULL,
  blocked_id    BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  UNIQUE KEY blocks_pair (blocker_id, blocked_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX blocks_by_blocker ON blocks (blocker_id, id);
CREATE INDEX blocks_by_blocked ON blocks (blocked_id, blocker_id)
)sql"},
    // Issue 18: the newest message time as one row that a new message updates first. The
    // update locks the row, so on MariaDB (where a plain read inside a transaction neither
    // locks nor waits) two senders at once still take distinct, increasing times; SQLite's
    // single writer needed no such row.
    {3, "message clock (issue 18)", R"sql(
CREATE TABLE message_clock (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  last_ms INTEGER NOT NULL
);
INSERT INTO message_clock (id, last_ms) SELECT 1, COALESCE(MAX(created_at_ms), 0) FROM messages;
)sql",
     R"sql(
CREATE TABLE message_clock (
  id      BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
  last_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO message_clock (id, last_ms) SELECT 1, COALESCE(MAX(created_at_ms), 0) FROM messages
)sql"},
};

}  // namespace

std::span<const db::Migration> RelationMigrations() {
  return kMigrations;
}

}  // namespace reel::relation
