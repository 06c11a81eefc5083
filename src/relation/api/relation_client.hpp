#pragma once

#include "kit/status/status.hpp"
#include "relation/v1/relation.pb.h"

namespace reel::relation {

/// How other modules call the relation service. RelationRpc is the in-process
/// implementation. Implementations are thread-safe.
class RelationClient {
 public:
  virtual ~RelationClient() = default;
  virtual Result<v1::FollowReply> Follow(const v1::FollowRequest& request) = 0;
  virtual Result<v1::UnfollowReply> Unfollow(const v1::UnfollowRequest& request) = 0;
  virtual Result<v1::ListRelationsReply> ListRelations(const v1::ListRelationsRequest& request) = 0;
  virtual Result<v1::RelationStatsReply> Stats(const v1::RelationStatsRequest& request) = 0;
  virtual Result<v1::SendMessageReply> SendMessage(const v1::SendMessageRequest& request) = 0;
  virtual Result<v1::ChatReply> Chat(const v1::ChatRequest& request) = 0;
  virtual Result<v1::LatestMessagesReply> LatestMessages(
      const v1::LatestMessagesRequest& request) = 0;
};

}  // namespace reel::relation
