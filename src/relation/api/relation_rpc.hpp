#pragma once

#include "relation/api/relation_client.hpp"
#include "relation/domain/relation_service.hpp"

namespace reel::relation {

/// The relation service's API (proto/relation/v1/relation.proto), transport-free: converts
/// messages to domain calls and back. Thread-safe.
class RelationRpc final : public RelationClient {
 public:
  explicit RelationRpc(RelationService& service) : service_(service) {}

  Result<v1::FollowReply> Follow(const v1::FollowRequest& request) override;
  Result<v1::UnfollowReply> Unfollow(const v1::UnfollowRequest& request) override;
  /// Errors: RELATION_KIND_INVALID (INVALID_ARGUMENT) for RELATION_KIND_UNSPECIFIED.
  Result<v1::ListRelationsReply> ListRelations(const v1::ListRelationsRequest& request) override;
  Result<v1::RelationStatsReply> Stats(const v1::RelationStatsRequest& request) override;
  Result<v1::SendMessageReply> SendMessage(const v1::SendMessageRequest& request) override;
  /// Errors: with peer_must_exist, USER_NOT_FOUND (NOT_FOUND) or kUnavailable.
  Result<v1::ChatReply> Chat(const v1::ChatRequest& request) override;
  Result<v1::LatestMessagesReply> LatestMessages(const v1::LatestMessagesRequest& request) override;

  // For the relation routes, which run in the relation service's own process: use cases the
  // proto does not offer (yet), called in-process. Offering them to other processes means
  // adding their messages to relation.proto.

  /// RelationService::ListPeople as messages: the page, and `latest` filled only when
  /// `with_messages` (the viewer's own friend list). Errors as ListPeople's.
  struct PeopleReply {
    v1::ListRelationsReply page;
    bool with_messages = false;
    v1::LatestMessagesReply latest;
  };
  Result<PeopleReply> ListPeople(const PeopleQuery& query);

  /// Errors: CANNOT_BLOCK_SELF (INVALID_ARGUMENT), USER_NOT_FOUND (NOT_FOUND).
  Result<v1::BlockReply> Block(const v1::BlockRequest& request) override;
  Result<v1::UnblockReply> Unblock(const v1::UnblockRequest& request) override;
  Result<v1::ListBlockedReply> ListBlocked(const v1::ListBlockedRequest& request) override;
  Result<v1::BlockedIdsReply> BlockedIds(const v1::BlockedIdsRequest& request) override;
  Result<v1::BlockedByReply> BlockedBy(const v1::BlockedByRequest& request) override;
  Result<v1::ReconcileCountersReply> ReconcileCounters(
      const v1::ReconcileCountersRequest& request) override;

 private:
  RelationService& service_;
};

void ToProto(const Message& message, v1::Message& out);

}  // namespace reel::relation
