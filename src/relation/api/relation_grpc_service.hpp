#pragma once

#include <grpcpp/server_context.h>

#include "relation/api/relation_client.hpp"
#include "relation/v1/relation.grpc.pb.h"

namespace reel::relation {

/// The relation service on gRPC: each method hands the request to the one implementation (the
/// in-process RelationRpc) and sends back its reply, or its Status with the exact code, reason
/// and message (kit/rpc/grpc_status.hpp), so a GrpcRelationClient sees what an in-process
/// caller would. Thread-safe as `impl` is; `impl` must outlive the server.
class RelationGrpcService final : public v1::RelationService::Service {
 public:
  explicit RelationGrpcService(RelationClient& impl) : impl_(impl) {}

  grpc::Status Follow(grpc::ServerContext* context, const v1::FollowRequest* request,
                      v1::FollowReply* reply) override;
  grpc::Status Unfollow(grpc::ServerContext* context, const v1::UnfollowRequest* request,
                        v1::UnfollowReply* reply) override;
  grpc::Status ListRelations(grpc::ServerContext* context, const v1::ListRelationsRequest* request,
                             v1::ListRelationsReply* reply) override;
  grpc::Status Stats(grpc::ServerContext* context, const v1::RelationStatsRequest* request,
                     v1::RelationStatsReply* reply) override;
  grpc::Status SendMessage(grpc::ServerContext* context, const v1::SendMessageRequest* request,
                           v1::SendMessageReply* reply) override;
  grpc::Status Chat(grpc::ServerContext* context, const v1::ChatRequest* request,
                    v1::ChatReply* reply) override;
  grpc::Status LatestMessages(grpc::ServerContext* context,
                              const v1::LatestMessagesRequest* request,
                              v1::LatestMessagesReply* reply) override;

 private:
  RelationClient& impl_;
};

}  // namespace reel::relation
