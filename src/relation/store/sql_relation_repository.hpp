#pragma once

#include "kit/db/database.hpp"
#include "relation/domain/relation_repository.hpp"

namespace reel::relation {

/// RelationRepository on either engine (kit/db; tables of relation_migrations.cpp).
class SqlRelationRepository final : public RelationRepository {
 public:
  explicit SqlRelationRepository(db::Database& db) : db_(db) {}

  bool Follow(std::int64_t follower_id, std::int64_t followee_id,
              std::int64_t created_at_ms) override;
  bool Unfollow(std::int64_t follower_id, std::int64_t followee_id) override;
  std::vector<RelationEntry> List(std::int64_t user_id, RelationKind kind, std::int64_t before_id,
                                  int limit) override;
  std::unordered_map<std::int64_t, FollowStat> Counts(
      std::span<const std::int64_t> user_ids) override;
  std::vector<std::int64_t> FollowedBy(std::int64_t viewer_id,
                                       std::span<const std::int64_t> user_ids) override;
  Message CreateMessage(const NewMessage& message) override;
  std::vector<Message> Chat(std::int64_t user_id, std::int64_t peer_id, std::int64_t after_ms,
                            int limit) override;
  std::unordered_map<std::int64_t, Message> Latest(std::int64_t user_id,
                                                   std::span<const std::int64_t> peer_ids) override;
  bool Block(std::int64_t blocker_id, std::int64_t blocked_id, std::int64_t created_at_ms) override;
  bool Unblock(std::int64_t blocker_id, std::int64_t blocked_id) override;
  std::vector<RelationEntry> ListBlocked(std::int64_t blocker_id, std::int64_t before_id,
                                         int limit) override;
  std::vector<std::int64_t> BlockersOf(std::int64_t actor_id,
                                       std::span<const std::int64_t> user_ids) override;
  std::vector<CounterRepair> ReconcileCounters() override;

 private:
  db::Database& db_;
};

}  // namespace reel::relation
