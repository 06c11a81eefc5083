#include "relation/api/relation_grpc_client.hpp"

#include <utility>

namespace reel::relation {
namespace {

using rpc::CallKind;
using Stub = v1::RelationService::Stub;

}  // namespace

GrpcRelationClient::GrpcRelationClient(std::unique_ptr<rpc::ChannelSet> channels,
                                       const rpc::RpcConfig& config, const Clock& clock)
    : caller_("relation", std::move(channels), config, clock) {}

Result<v1::FollowReply> GrpcRelationClient::Follow(const v1::FollowRequest& request) {
  return caller_.Call("Follow", CallKind::kWrite, request, &Stub::Follow);
}

Result<v1::UnfollowReply> GrpcRelationClient::Unfollow(const v1::UnfollowRequest& request) {
  return caller_.Call("Unfollow", CallKind::kWrite, request, &Stub::Unfollow);
}

Result<v1::ListRelationsReply> GrpcRelationClient::ListRelations(
    const v1::ListRelationsRequest& request) {
  return caller_.Call("ListRelations", CallKind::kRead, request, &Stub::ListRelations);
}

Result<v1::RelationStatsReply> GrpcRelationClient::Stats(const v1::RelationStatsRequest& request) {
  return caller_.Call("Stats", CallKind::kRead, request, &Stub::Stats);
}

Result<v1::SendMessageReply> GrpcRelationClient::SendMessage(
    const v1::SendMessageRequest& request) {
  return caller_.Call("SendMessage", CallKind::kWrite, request, &Stub::SendMessage);
}

Result<v1::ChatReply> GrpcRelationClient::Chat(const v1::ChatRequest& request) {
  return caller_.Call("Chat", CallKind::kRead, request, &Stub::Chat);
}

Result<v1::LatestMessagesReply> GrpcRelationClient::LatestMessages(
    const v1::LatestMessagesRequest& request) {
  return caller_.Call("LatestMessages", CallKind::kRead, request, &Stub::LatestMessages);
}

}  // namespace reel::relation
