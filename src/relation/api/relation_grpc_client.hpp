#pragma once

#include <memory>

#include "kit/clock/clock.hpp"
#include "kit/rpc/adaptive_throttle.hpp"
#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/rpc_caller.hpp"
#include "kit/rpc/rpc_config.hpp"
#include "relation/api/relation_client.hpp"
#include "relation/v1/relation.grpc.pb.h"

namespace reel::relation {

/// The relation service reached over gRPC (a RelationGrpcService in another process): the same
/// contract as the in-process RelationRpc, with the service's own errors passed through
/// unchanged. Every call has the configured deadline and goes through the breaker; reads
/// are retried once after a transport failure, writes never (a write may have happened).
/// Reads: ListRelations, Stats, Chat, LatestMessages.
/// Transport errors: kUnavailable DEPENDENCY_UNAVAILABLE, DEPENDENCY_TIMEOUT or
/// DEPENDENCY_THROTTLED. Thread-safe.
class GrpcRelationClient final : public RelationClient {
 public:
  GrpcRelationClient(std::unique_ptr<rpc::ChannelSet> channels, const rpc::RpcConfig& config,
                     const Clock& clock);

  Result<v1::FollowReply> Follow(const v1::FollowRequest& request) override;
  Result<v1::UnfollowReply> Unfollow(const v1::UnfollowRequest& request) override;
  Result<v1::ListRelationsReply> ListRelations(const v1::ListRelationsRequest& request) override;
  Result<v1::RelationStatsReply> Stats(const v1::RelationStatsRequest& request) override;
  Result<v1::SendMessageReply> SendMessage(const v1::SendMessageRequest& request) override;
  Result<v1::ChatReply> Chat(const v1::ChatRequest& request) override;
  Result<v1::LatestMessagesReply> LatestMessages(const v1::LatestMessagesRequest& request) override;

  /// The client's circuit breaker (for tests and metrics).
  rpc::AdaptiveThrottle& breaker() { return caller_.breaker(); }

 private:
  rpc::RpcCaller<v1::RelationService> caller_;
};

}  // namespace reel::relation
