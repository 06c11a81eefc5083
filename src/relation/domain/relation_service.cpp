#include "relation/domain/relation_service.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "kit/metrics/metrics.hpp"
#include "relation/domain/message_policy.hpp"

namespace reel::relation {
namespace {

std::int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

int PageSize(int limit, int default_size, int max_size) {
  return limit == 0 ? default_size : std::clamp(limit, 1, max_size);
}

// OK for an existing user; USER_NOT_FOUND, or why the user service could not say.
Status UserMustExist(UserDirectory& users, std::int64_t id) {
  auto exists = users.Exists(id);
  if (!exists.ok()) return exists.status();
  if (*exists) return Status::Ok();
  return NotFound("USER_NOT_FOUND", "user " + std::to_string(id) + " does not exist");
}

}  // namespace

RelationService::RelationService(RelationRepository& repository, UserDirectory& users,
                                 const Clock& clock)
    : repository_(repository), users_(users), clock_(clock) {}

Result<bool> RelationService::Follow(std::int64_t user_id, std::int64_t to_user_id) {
  if (user_id == to_user_id) {
    return InvalidArgument("CANNOT_FOLLOW_SELF", "you cannot follow yourself");
  }
  if (Status s = UserMustExist(users_, to_user_id); !s.ok()) return s;
  if (Status s = RefuseBlocked(user_id, to_user_id); !s.ok()) return s;
  if (repository_.Follow(user_id, to_user_id, NowMs(clock_))) {
    static auto& follows =
        metrics::Counter("reel_follows_total", "Follows recorded (not repeats).");
    follows.Increment();
    return true;
  }
  // The store refuses a follow under a block inside its transaction: a block that landed
  // since the check above reads as BLOCKED, not as "already following".
  if (Status s = RefuseBlocked(user_id, to_user_id); !s.ok()) return s;
  return false;
}

Result<bool> RelationService::Unfollow(std::int64_t user_id, std::int64_t to_user_id) {
  if (user_id == to_user_id) {
    return InvalidArgument("CANNOT_FOLLOW_SELF", "you cannot unfollow yourself");
  }
  // The follow goes first, so a follow of a user who has since gone stays removable; only
  // when there was none does a missing user deserve an error rather than "not following".
  if (repository_.Unfollow(user_id, to_user_id)) return true;
  if (Status s = UserMustExist(users_, to_user_id); !s.ok()) return s;
  return false;
}

RelationPage RelationService::List(std::int64_t user_id, RelationKind kind, std::int64_t cursor,
                                   int limit) {
  const int size = PageSize(limit, kDefaultPageSize, kMaxPageSize);
  // One row beyond the page tells whether another exists, so the last page says so instead
  // of sending the client after an empty one.
  auto entries = repository_.List(user_id, kind, std::max<std::int64_t>(cursor, 0), size + 1);
  RelationPage page;
  if (entries.size() > static_cast<std::size_t>(size)) {
    entries.resize(static_cast<std::size_t>(size));
    page.next_cursor = entries.back().follow_id;
  }
  page.user_ids.reserve(entries.size());
  for (const RelationEntry& e : entries) page.user_ids.push_back(e.user_id);
  return page;
}

Result<PeoplePage> RelationService::ListPeople(const PeopleQuery& query) {
  if (query.owner_must_exist) {
    if (Status s = UserMustExist(users_, query.owner); !s.ok()) return s;
  }
  PeoplePage out;
  out.page = List(query.owner, query.kind, query.cursor, query.limit);
  out.with_messages = query.kind == RelationKind::kFriends && query.viewer == query.owner;
  if (out.with_messages) out.latest = LatestMessages(query.owner, out.page.user_ids);
  return out;
}

std::unordered_map<std::int64_t, FollowStat> RelationService::Stats(
    std::span<const std::int64_t> user_ids, std::int64_t viewer_id, bool viewer_only) {
  std::unordered_map<std::int64_t, FollowStat> stats;
  if (user_ids.empty()) return stats;
  if (!viewer_only) stats = repository_.Counts(user_ids);
  for (std::int64_t id : user_ids) stats.try_emplace(id);
  if (viewer_id > 0) {
    for (std::int64_t id : repository_.FollowedBy(viewer_id, user_ids)) {
      stats[id].followed_by_viewer = true;
    }
  }
  return stats;
}

Result<Message> RelationService::SendMessage(std::int64_t from_user_id, std::int64_t to_user_id,
                                             std::string_view content) {
  if (from_user_id == to_user_id) {
    return InvalidArgument("CANNOT_MESSAGE_SELF", "you cannot send a message to yourself");
  }
  auto clean = NormalizeMessage(content);
  if (!clean.ok()) return clean.status();
  if (Status s = UserMustExist(users_, to_user_id); !s.ok()) return s;
  if (Status s = RefuseBlocked(from_user_id, to_user_id); !s.ok()) return s;
  auto sent = repository_.CreateMessage(
      NewMessage{from_user_id, to_user_id, std::move(*clean), NowMs(clock_)});
  static auto& messages = metrics::Counter("reel_messages_total", "Chat messages sent.");
  messages.Increment();
  return sent;
}

std::vector<Message> RelationService::Chat(std::int64_t user_id, std::int64_t peer_id,
                                           std::int64_t after_ms, int limit) {
  return repository_.Chat(user_id, peer_id, std::max<std::int64_t>(after_ms, 0),
                          PageSize(limit, kDefaultChatSize, kMaxChatSize));
}

Result<std::vector<Message>> RelationService::ChatWithKnownPeer(std::int64_t user_id,
                                                                std::int64_t peer_id,
                                                                std::int64_t after_ms, int limit) {
  if (Status s = UserMustExist(users_, peer_id); !s.ok()) return s;
  return Chat(user_id, peer_id, after_ms, limit);
}

std::unordered_map<std::int64_t, Message> RelationService::LatestMessages(
    std::int64_t user_id, std::span<const std::int64_t> peer_ids) {
  if (peer_ids.empty()) return {};
  return repository_.Latest(user_id, peer_ids);
}

Result<bool> RelationService::Block(std::int64_t user_id, std::int64_t to_user_id) {
  if (user_id == to_user_id) {
    return InvalidArgument("CANNOT_BLOCK_SELF", "you cannot block yourself");
  }
  if (Status s = UserMustExist(users_, to_user_id); !s.ok()) return s;
  return repository_.Block(user_id, to_user_id, NowMs(clock_));
}

Result<bool> RelationService::Unblock(std::int64_t user_id, std::int64_t to_user_id) {
  if (user_id == to_user_id) {
    return InvalidArgument("CANNOT_BLOCK_SELF", "you cannot unblock yourself");
  }
  // As Unfollow: a block of a user who has since gone stays removable.
  if (repository_.Unblock(user_id, to_user_id)) return true;
  if (Status s = UserMustExist(users_, to_user_id); !s.ok()) return s;
  return false;
}

RelationPage RelationService::ListBlocked(std::int64_t user_id, std::int64_t cursor, int limit) {
  const int size = PageSize(limit, kDefaultPageSize, kMaxPageSize);
  auto entries = repository_.ListBlocked(user_id, std::max<std::int64_t>(cursor, 0), size + 1);
  RelationPage page;
  if (entries.size() > static_cast<std::size_t>(size)) {
    entries.resize(static_cast<std::size_t>(size));
    page.next_cursor = entries.back().follow_id;
  }
  page.user_ids.reserve(entries.size());
  for (const RelationEntry& e : entries) page.user_ids.push_back(e.user_id);
  return page;
}

std::vector<std::int64_t> RelationService::BlockedIds(std::int64_t user_id, int limit) {
  const int size = limit <= 0 ? kMaxBlockedIds : std::min(limit, kMaxBlockedIds);
  std::vector<std::int64_t> ids;
  for (const RelationEntry& e : repository_.ListBlocked(user_id, 0, size)) ids.push_back(e.user_id);
  return ids;
}

std::vector<std::int64_t> RelationService::BlockedBy(std::int64_t actor_id,
                                                     std::span<const std::int64_t> user_ids) {
  if (user_ids.empty()) return {};
  return repository_.BlockersOf(actor_id, user_ids);
}

std::vector<CounterRepair> RelationService::ReconcileCounters() {
  return repository_.ReconcileCounters();
}

Status RelationService::RefuseBlocked(std::int64_t actor, std::int64_t target) {
  const std::int64_t target_ids[] = {target};
  if (!repository_.BlockersOf(actor, target_ids).empty()) {
    return PermissionDenied("BLOCKED", "this user has blocked you");
  }
  const std::int64_t actor_ids[] = {actor};
  if (!repository_.BlockersOf(target, actor_ids).empty()) {
    return PermissionDenied("BLOCKED", "you blocked this user; unblock them first");
  }
  return Status::Ok();
}

}  // namespace reel::relation
