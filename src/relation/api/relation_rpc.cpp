#include "relation/api/relation_rpc.hpp"

#include <optional>

namespace reel::relation {
namespace {

std::optional<RelationKind> KindOf(v1::RelationKind kind) {
  switch (kind) {
    case v1::FOLLOWING:
      return RelationKind::kFollowing;
    case v1::FOLLOWERS:
      return RelationKind::kFollowers;
    case v1::FRIENDS:
      return RelationKind::kFriends;
    default:
      return std::nullopt;
  }
}

template <typename Ids>
std::span<const std::int64_t> SpanOf(const Ids& ids) {
  return {ids.data(), static_cast<std::size_t>(ids.size())};
}

}  // namespace

void ToProto(const Message& message, v1::Message& out) {
  out.set_id(message.id);
  out.set_from_user_id(message.from_user_id);
  out.set_to_user_id(message.to_user_id);
  out.set_content(message.content);
  out.set_created_at_ms(message.created_at_ms);
}

Result<v1::FollowReply> RelationRpc::Follow(const v1::FollowRequest& request) {
  auto changed = service_.Follow(request.user_id(), request.to_user_id());
  if (!changed.ok()) return changed.status();
  v1::FollowReply reply;
  reply.set_changed(*changed);
  return reply;
}

Result<v1::UnfollowReply> RelationRpc::Unfollow(const v1::UnfollowRequest& request) {
  auto changed = service_.Unfollow(request.user_id(), request.to_user_id());
  if (!changed.ok()) return changed.status();
  v1::UnfollowReply reply;
  reply.set_changed(*changed);
  return reply;
}

Result<v1::ListRelationsReply> RelationRpc::ListRelations(const v1::ListRelationsRequest& request) {
  const auto kind = KindOf(request.kind());
  if (!kind) {
    return InvalidArgument("RELATION_KIND_INVALID", "kind must be FOLLOWING, FOLLOWERS or FRIENDS");
  }
  RelationPage page = service_.List(request.user_id(), *kind, request.cursor(), request.limit());
  v1::ListRelationsReply reply;
  for (std::int64_t id : page.user_ids) reply.add_user_ids(id);
  reply.set_next_cursor(page.next_cursor);
  return reply;
}

Result<v1::RelationStatsReply> RelationRpc::Stats(const v1::RelationStatsRequest& request) {
  v1::RelationStatsReply reply;
  for (const auto& [id, stat] :
       service_.Stats(SpanOf(request.user_ids()), request.viewer_id(), request.viewer_only())) {
    v1::RelationStat& out = (*reply.mutable_stats())[id];
    out.set_follow_count(stat.follow_count);
    out.set_follower_count(stat.follower_count);
    out.set_followed_by_viewer(stat.followed_by_viewer);
  }
  return reply;
}

Result<v1::SendMessageReply> RelationRpc::SendMessage(const v1::SendMessageRequest& request) {
  auto message =
      service_.SendMessage(request.from_user_id(), request.to_user_id(), request.content());
  if (!message.ok()) return message.status();
  v1::SendMessageReply reply;
  ToProto(*message, *reply.mutable_message());
  return reply;
}

Result<v1::ChatReply> RelationRpc::Chat(const v1::ChatRequest& request) {
  Result<std::vector<Message>> messages =
      request.peer_must_exist()
          ? service_.ChatWithKnownPeer(request.user_id(), request.peer_id(), request.after_ms(),
                                       request.limit())
          : Result<std::vector<Message>>(service_.Chat(request.user_id(), request.peer_id(),
                                                       request.after_ms(), request.limit()));
  if (!messages.ok()) return messages.status();
  v1::ChatReply reply;
  for (const Message& m : *messages) ToProto(m, *reply.add_messages());
  return reply;
}

Result<v1::LatestMessagesReply> RelationRpc::LatestMessages(
    const v1::LatestMessagesRequest& request) {
  v1::LatestMessagesReply reply;
  for (const auto& [peer, m] :
       service_.LatestMessages(request.user_id(), SpanOf(request.peer_ids()))) {
    ToProto(m, (*reply.mutable_latest())[peer]);
  }
  return reply;
}

Result<RelationRpc::PeopleReply> RelationRpc::ListPeople(const PeopleQuery& query) {
  auto people = service_.ListPeople(query);
  if (!people.ok()) return people.status();
  PeopleReply reply;
  reply.page.mutable_user_ids()->Add(people->page.user_ids.begin(), people->page.user_ids.end());
  reply.page.set_next_cursor(people->page.next_cursor);
  reply.with_messages = people->with_messages;
  for (const auto& [peer, m] : people->latest) ToProto(m, (*reply.latest.mutable_latest())[peer]);
  return reply;
}

Result<v1::BlockReply> RelationRpc::Block(const v1::BlockRequest& request) {
  auto changed = service_.Block(request.user_id(), request.to_user_id());
  if (!changed.ok()) return changed.status();
  v1::BlockReply reply;
  reply.set_changed(*changed);
  return reply;
}

Result<v1::UnblockReply> RelationRpc::Unblock(const v1::UnblockRequest& request) {
  auto changed = service_.Unblock(request.user_id(), request.to_user_id());
  if (!changed.ok()) return changed.status();
  v1::UnblockReply reply;
  reply.set_changed(*changed);
  return reply;
}

Result<v1::ListBlockedReply> RelationRpc::ListBlocked(const v1::ListBlockedRequest& request) {
  RelationPage page = service_.ListBlocked(request.user_id(), request.cursor(), request.limit());
  v1::ListBlockedReply reply;
  reply.mutable_user_ids()->Add(page.user_ids.begin(), page.user_ids.end());
  reply.set_next_cursor(page.next_cursor);
  return reply;
}

Result<v1::BlockedIdsReply> RelationRpc::BlockedIds(const v1::BlockedIdsRequest& request) {
  const std::vector<std::int64_t> ids = service_.BlockedIds(request.user_id(), request.limit());
  v1::BlockedIdsReply reply;
  reply.mutable_user_ids()->Add(ids.begin(), ids.end());
  return reply;
}

Result<v1::BlockedByReply> RelationRpc::BlockedBy(const v1::BlockedByRequest& request) {
  const std::vector<std::int64_t> ids =
      service_.BlockedBy(request.actor_id(), SpanOf(request.user_ids()));
  v1::BlockedByReply reply;
  reply.mutable_blocker_ids()->Add(ids.begin(), ids.end());
  return reply;
}

Result<v1::ReconcileCountersReply> RelationRpc::ReconcileCounters(
    const v1::ReconcileCountersRequest&) {
  v1::ReconcileCountersReply reply;
  for (const CounterRepair& repair : service_.ReconcileCounters()) {
    v1::CounterRepair& out = *reply.add_repairs();
    out.set_counter(repair.counter);
    out.set_rows_fixed(repair.rows_fixed);
  }
  return reply;
}

}  // namespace reel::relation
