#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"
#include "relation/domain/relation.hpp"
#include "relation/domain/relation_repository.hpp"
#include "relation/domain/user_directory.hpp"

namespace reel::relation {

/// A listing of the follow graph as a route asks for it: whose, which side, who is looking.
struct PeopleQuery {
  std::int64_t owner = 0;
  RelationKind kind = RelationKind::kFollowing;
  std::int64_t viewer = 0;  ///< 0: anonymous
  std::int64_t cursor = 0;
  int limit = 0;  ///< as for RelationService::List
  /// Refuse an owner who does not exist (USER_NOT_FOUND) rather than answer an empty page,
  /// which would hide a wrong id from the client.
  bool owner_must_exist = false;
};

/// A page of a listing, with what its viewer may see besides the users.
struct PeoplePage {
  RelationPage page;
  /// Set when the viewer lists their own friends: only they see their conversations.
  bool with_messages = false;
  /// With `with_messages`: the newest message with each listed friend who has one.
  std::unordered_map<std::int64_t, Message> latest;
};

/// The relation use cases: following, listings of the follow graph, counters, direct
/// messages between users, and blocks. Thread-safe.
///
/// A block (issue 16) works both ways on follows and messages: the blocked user cannot follow
/// or message the blocker ("this user has blocked you"), and the blocker cannot follow or
/// message them until they unblock ("you blocked this user; unblock them first"); both are
/// BLOCKED (PERMISSION_DENIED). Blocking removes the follows between the two, so friend lists
/// and the chats they lead to follow from it.
class RelationService {
 public:
  static constexpr int kDefaultPageSize = 30;
  static constexpr int kMaxPageSize = 100;
  static constexpr int kDefaultChatSize = 100;
  static constexpr int kMaxChatSize = 500;
  /// BlockedIds answers at most this many (the feeds' exclude list has the same bound).
  static constexpr int kMaxBlockedIds = 2000;

  RelationService(RelationRepository& repository, UserDirectory& users, const Clock& clock);

  /// Idempotent: true when the follow is new, false when it existed (nothing changes).
  /// Errors: CANNOT_FOLLOW_SELF (INVALID_ARGUMENT), USER_NOT_FOUND (NOT_FOUND), BLOCKED
  /// (PERMISSION_DENIED) when either blocks the other.
  Result<bool> Follow(std::int64_t user_id, std::int64_t to_user_id);
  /// Idempotent: true when a follow was removed, false when there was none.
  Result<bool> Unfollow(std::int64_t user_id, std::int64_t to_user_id);

  /// Newest relation first. cursor: 0 for the first page, then next_cursor (0 when this is
  /// the last page). limit 0 means kDefaultPageSize; otherwise it is
  /// clamped to 1..kMaxPageSize.
  RelationPage List(std::int64_t user_id, RelationKind kind, std::int64_t cursor, int limit);

  /// A page of `query.owner`'s listing (as List), and on the viewer's own friend list the
  /// newest message of each conversation shown: messages are private, so no other viewer
  /// gets them. Errors: with `owner_must_exist`, USER_NOT_FOUND, or kUnavailable when the
  /// user service cannot say.
  Result<PeoplePage> ListPeople(const PeopleQuery& query);

  /// Every id of `user_ids` with its counters (0 when it has none) and whether `viewer_id`
  /// (0: anonymous) follows it. `viewer_only`: that alone, the counters left at 0.
  std::unordered_map<std::int64_t, FollowStat> Stats(std::span<const std::int64_t> user_ids,
                                                     std::int64_t viewer_id,
                                                     bool viewer_only = false);

  /// Errors: CANNOT_MESSAGE_SELF, MESSAGE_INVALID (INVALID_ARGUMENT), USER_NOT_FOUND,
  /// BLOCKED (PERMISSION_DENIED) when either blocks the other.
  Result<Message> SendMessage(std::int64_t from_user_id, std::int64_t to_user_id,
                              std::string_view content);
  /// Both directions, oldest first, created_at_ms > after_ms. limit 0 means
  /// kDefaultChatSize; otherwise it is clamped to 1..kMaxChatSize.
  std::vector<Message> Chat(std::int64_t user_id, std::int64_t peer_id, std::int64_t after_ms,
                            int limit);
  /// Chat with a peer the client named (GET /api/message/chat): a peer who does not exist
  /// is refused rather than shown as a conversation with nothing in it.
  /// Errors: USER_NOT_FOUND (NOT_FOUND); kUnavailable when the user service cannot say.
  Result<std::vector<Message>> ChatWithKnownPeer(std::int64_t user_id, std::int64_t peer_id,
                                                 std::int64_t after_ms, int limit);
  /// The newest message between `user_id` and each peer; peers without messages are absent.
  std::unordered_map<std::int64_t, Message> LatestMessages(std::int64_t user_id,
                                                           std::span<const std::int64_t> peer_ids);

  /// Idempotent: true when the block is new (the follows between the two are removed, both
  /// users' counters with them, in the same transaction), false when it existed.
  /// Errors: CANNOT_BLOCK_SELF (INVALID_ARGUMENT), USER_NOT_FOUND (NOT_FOUND).
  Result<bool> Block(std::int64_t user_id, std::int64_t to_user_id);
  /// Idempotent: true when a block was removed, false when there was none. Follows removed
  /// by the block stay removed. Errors: CANNOT_BLOCK_SELF, USER_NOT_FOUND.
  Result<bool> Unblock(std::int64_t user_id, std::int64_t to_user_id);
  /// Whom `user_id` blocked, newest block first; paging and limit as List.
  RelationPage ListBlocked(std::int64_t user_id, std::int64_t cursor, int limit);
  /// Everyone `user_id` blocked, newest first, at most `limit` (0 or above kMaxBlockedIds:
  /// kMaxBlockedIds), for leaving their content out of what `user_id` is shown.
  std::vector<std::int64_t> BlockedIds(std::int64_t user_id, int limit);
  /// The users among `user_ids` who blocked `actor_id`, for refusing what actor_id asks.
  std::vector<std::int64_t> BlockedBy(std::int64_t actor_id,
                                      std::span<const std::int64_t> user_ids);

  /// Repairs the follow counters that drifted from the follows (see
  /// RelationRepository::ReconcileCounters); one entry per counter checked. Idempotent.
  std::vector<CounterRepair> ReconcileCounters();

 private:
  /// BLOCKED when either of `actor` and `target` blocks the other, worded for the actor.
  Status RefuseBlocked(std::int64_t actor, std::int64_t target);

  RelationRepository& repository_;
  UserDirectory& users_;
  const Clock& clock_;
};

}  // namespace reel::relation
