#pragma once

#include "kit/cache/invalidating_cache.hpp"
#include "kit/cache/pair_cache.hpp"
#include "relation/domain/relation_repository.hpp"

namespace reel::relation {

/// RelationRepository that keeps each user's follow counters (what Counts returns, which
/// every page's user objects show) in memory, in front of another repository that stores
/// them. Users without counters are cached as absent. Every write goes through here, so each
/// one invalidates exactly the counters it moved, after its commit: a Follow or Unfollow that
/// changed something invalidates both the follower's and the followee's, and the pair's
/// "does the follower follow the followee", which every signed-in page asks for its authors
/// and is cached per pair. Correct while this process is the only writer of the store,
/// which it is for the embedded store and the one relation process of a cluster. Listings
/// and messages are read through uncached. A Block that changed something may have removed
/// follows both ways, so it invalidates both users' counters and both pairs; blocks
/// themselves are read through uncached.
class CachedRelationRepository final : public RelationRepository {
 public:
  /// `capacity`: users whose counters are held.
  /// `writes`, when given, advances with every invalidation (see cache::ChangeEpoch).
  /// `shared`, when given, shares the counters with the deployment's other processes, and
  /// the follows' invalidations.
  CachedRelationRepository(RelationRepository& store, std::size_t capacity,
                           cache::ChangeEpoch* writes = nullptr,
                           cache::SharedTier* shared = nullptr)
      : store_(store),
        counts_(capacity, writes, CountsShared(shared)),
        follows_(capacity, writes, shared, "relation.follows") {}

  bool Follow(std::int64_t follower_id, std::int64_t followee_id,
              std::int64_t created_at_ms) override;
  bool Unfollow(std::int64_t follower_id, std::int64_t followee_id) override;
  std::vector<RelationEntry> List(std::int64_t user_id, RelationKind kind, std::int64_t before_id,
                                  int limit) override {
    return store_.List(user_id, kind, before_id, limit);
  }
  std::unordered_map<std::int64_t, FollowStat> Counts(
      std::span<const std::int64_t> user_ids) override;
  std::vector<std::int64_t> FollowedBy(std::int64_t viewer_id,
                                       std::span<const std::int64_t> user_ids) override;
  Message CreateMessage(const NewMessage& message) override {
    return store_.CreateMessage(message);
  }
  std::vector<Message> Chat(std::int64_t user_id, std::int64_t peer_id, std::int64_t after_ms,
                            int limit) override {
    return store_.Chat(user_id, peer_id, after_ms, limit);
  }
  std::unordered_map<std::int64_t, Message> Latest(
      std::int64_t user_id, std::span<const std::int64_t> peer_ids) override {
    return store_.Latest(user_id, peer_ids);
  }
  bool Block(std::int64_t blocker_id, std::int64_t blocked_id, std::int64_t created_at_ms) override;
  bool Unblock(std::int64_t blocker_id, std::int64_t blocked_id) override {
    return store_.Unblock(blocker_id, blocked_id);
  }
  std::vector<RelationEntry> ListBlocked(std::int64_t blocker_id, std::int64_t before_id,
                                         int limit) override {
    return store_.ListBlocked(blocker_id, before_id, limit);
  }
  std::vector<std::int64_t> BlockersOf(std::int64_t actor_id,
                                       std::span<const std::int64_t> user_ids) override {
    return store_.BlockersOf(actor_id, user_ids);
  }
  /// Drops every cached counter when the repair changed any: which ones is not known here.
  /// The follows themselves did not change, so the pair cache stays.
  std::vector<CounterRepair> ReconcileCounters() override;

 private:
  void CountersMoved(std::int64_t follower_id, std::int64_t followee_id);

  static cache::SharedBinding<std::int64_t, FollowStat> CountsShared(cache::SharedTier* tier);

  RelationRepository& store_;
  cache::InvalidatingCache<std::int64_t, FollowStat> counts_;
  /// (follower, followee) → present when the follow exists.
  cache::PairCache follows_;
};

}  // namespace reel::relation
