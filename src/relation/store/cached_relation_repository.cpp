#include "relation/store/cached_relation_repository.hpp"

namespace reel::relation {

cache::SharedBinding<std::int64_t, FollowStat> CachedRelationRepository::CountsShared(
    cache::SharedTier* tier) {
  return cache::IdKeyedFields<FollowStat>(tier, "relation.counts", 1, [](auto& io, auto& stat) {
    io.Field(stat.follow_count);
    io.Field(stat.follower_count);
    io.Field(stat.followed_by_viewer);
  });
}

void CachedRelationRepository::CountersMoved(std::int64_t follower_id, std::int64_t followee_id) {
  counts_.Invalidate(follower_id);
  counts_.Invalidate(followee_id);
  follows_.Invalidate({follower_id, followee_id});
}

bool CachedRelationRepository::Follow(std::int64_t follower_id, std::int64_t followee_id,
                                      std::int64_t created_at_ms) {
  const bool changed = store_.Follow(follower_id, followee_id, created_at_ms);
  if (changed) CountersMoved(follower_id, followee_id);
  return changed;
}

bool CachedRelationRepository::Unfollow(std::int64_t follower_id, std::int64_t followee_id) {
  const bool changed = store_.Unfollow(follower_id, followee_id);
  if (changed) CountersMoved(follower_id, followee_id);
  return changed;
}

bool CachedRelationRepository::Block(std::int64_t blocker_id, std::int64_t blocked_id,
                                     std::int64_t created_at_ms) {
  const bool changed = store_.Block(blocker_id, blocked_id, created_at_ms);
  if (changed) {
    CountersMoved(blocker_id, blocked_id);
    follows_.Invalidate({blocked_id, blocker_id});
  }
  return changed;
}

std::unordered_map<std::int64_t, FollowStat> CachedRelationRepository::Counts(
    std::span<const std::int64_t> user_ids) {
  return counts_.GetMany(
      user_ids, [&](std::span<const std::int64_t> missing) { return store_.Counts(missing); });
}

std::vector<std::int64_t> CachedRelationRepository::FollowedBy(
    std::int64_t viewer_id, std::span<const std::int64_t> user_ids) {
  return follows_.SecondsThatHold(
      viewer_id, user_ids, [&](auto unknown) { return store_.FollowedBy(viewer_id, unknown); });
}

std::vector<CounterRepair> CachedRelationRepository::ReconcileCounters() {
  auto repairs = store_.ReconcileCounters();
  for (const CounterRepair& repair : repairs) {
    if (repair.rows_fixed > 0) {
      counts_.InvalidateAll();
      break;
    }
  }
  return repairs;
}

}  // namespace reel::relation
