#include "relation/api/relation_grpc_service.hpp"

#include "kit/rpc/grpc_status.hpp"

namespace reel::relation {

grpc::Status RelationGrpcService::Follow(grpc::ServerContext*, const v1::FollowRequest* request,
                                         v1::FollowReply* reply) {
  return rpc::Answer(impl_.Follow(*request), reply);
}

grpc::Status RelationGrpcService::Unfollow(grpc::ServerContext*, const v1::UnfollowRequest* request,
                                           v1::UnfollowReply* reply) {
  return rpc::Answer(impl_.Unfollow(*request), reply);
}

grpc::Status RelationGrpcService::ListRelations(grpc::ServerContext*,
                                                const v1::ListRelationsRequest* request,
                                                v1::ListRelationsReply* reply) {
  return rpc::Answer(impl_.ListRelations(*request), reply);
}

grpc::Status RelationGrpcService::Stats(grpc::ServerContext*,
                                        const v1::RelationStatsRequest* request,
                                        v1::RelationStatsReply* reply) {
  return rpc::Answer(impl_.Stats(*request), reply);
}

grpc::Status RelationGrpcService::SendMessage(grpc::ServerContext*,
                                              const v1::SendMessageRequest* request,
                                              v1::SendMessageReply* reply) {
  return rpc::Answer(impl_.SendMessage(*request), reply);
}

grpc::Status RelationGrpcService::Chat(grpc::ServerContext*, const v1::ChatRequest* request,
                                       v1::ChatReply* reply) {
  return rpc::Answer(impl_.Chat(*request), reply);
}

grpc::Status RelationGrpcService::LatestMessages(grpc::ServerContext*,
                                                 const v1::LatestMessagesRequest* request,
                                                 v1::LatestMessagesReply* reply) {
  return rpc::Answer(impl_.LatestMessages(*request), reply);
}

}  // namespace reel::relation
