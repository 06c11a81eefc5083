#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "kit/status/status.hpp"
#include "relation/domain/relation.hpp"

namespace reel::relation {

/// Storage of follows, their counters, messages and blocks. Implementations are thread-safe.
class RelationRepository {
 public:
  virtual ~RelationRepository() = default;

  /// Records that `follower_id` follows `followee_id` and, only when that is new, adds one
  /// to both users' counters, all in one transaction. Returns whether anything changed.
  /// Nothing changes while either user blocks the other (checked in the same transaction,
  /// so a follow racing a block cannot outlive it).
  virtual bool Follow(std::int64_t follower_id, std::int64_t followee_id,
                      std::int64_t created_at_ms) = 0;
  /// Removes the follow and, only when there was one, takes one from both counters.
  /// Returns whether anything changed.
  virtual bool Unfollow(std::int64_t follower_id, std::int64_t followee_id) = 0;

  /// Up to `limit` entries of `user_id`'s listing, newest follow row first, with
  /// follow_id < before_id (0: no bound). For kFriends the rows are user_id's own follows.
  virtual std::vector<RelationEntry> List(std::int64_t user_id, RelationKind kind,
                                          std::int64_t before_id, int limit) = 0;

  /// Counters of the users among `user_ids` that have any row; absent users have none.
  virtual std::unordered_map<std::int64_t, FollowStat> Counts(
      std::span<const std::int64_t> user_ids) = 0;
  /// The users among `user_ids` whom `viewer_id` follows.
  virtual std::vector<std::int64_t> FollowedBy(std::int64_t viewer_id,
                                               std::span<const std::int64_t> user_ids) = 0;

  /// Stores a message and returns it. Its created_at_ms is the requested time or, when that
  /// is not later than every stored message's, one millisecond after the latest: times are
  /// unique and increasing, so polling by time neither repeats nor skips.
  virtual Message CreateMessage(const NewMessage& message) = 0;
  /// Messages between the two users in both directions with created_at_ms > after_ms,
  /// oldest first, at most `limit`.
  virtual std::vector<Message> Chat(std::int64_t user_id, std::int64_t peer_id,
                                    std::int64_t after_ms, int limit) = 0;
  /// The newest message between `user_id` and each of `peer_ids`, by peer; peers without
  /// messages are absent.
  virtual std::unordered_map<std::int64_t, Message> Latest(
      std::int64_t user_id, std::span<const std::int64_t> peer_ids) = 0;

  /// Records that `blocker_id` blocks `blocked_id` and, only when that is new, removes the
  /// follows between them both ways with their counters, all in one transaction. Returns
  /// whether anything changed.
  virtual bool Block(std::int64_t blocker_id, std::int64_t blocked_id,
                     std::int64_t created_at_ms) = 0;
  /// Removes the block; returns whether there was one.
  virtual bool Unblock(std::int64_t blocker_id, std::int64_t blocked_id) = 0;
  /// Up to `limit` of the users `blocker_id` blocked, newest block first, with the block
  /// row's id as RelationEntry::follow_id and id < before_id (0: no bound).
  virtual std::vector<RelationEntry> ListBlocked(std::int64_t blocker_id, std::int64_t before_id,
                                                 int limit) = 0;
  /// The users among `user_ids` who blocked `actor_id`.
  virtual std::vector<std::int64_t> BlockersOf(std::int64_t actor_id,
                                               std::span<const std::int64_t> user_ids) = 0;

  /// Sets every follow counter that differs from a count of the follows to that count, one
  /// write transaction per counter: follow_counts.follow_count, then
  /// follow_counts.follower_count. A missing row reads as zero (one is created only for a
  /// non-zero count). Idempotent: a second run fixes nothing.
  virtual std::vector<CounterRepair> ReconcileCounters() = 0;
};

}  // namespace reel::relation
