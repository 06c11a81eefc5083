#pragma once

#include <grpcpp/server_context.h>

#include "comment/api/comment_client.hpp"
#include "comment/v1/comment.grpc.pb.h"

namespace reel::comment {

/// The comment service on gRPC: each method hands the request to the one implementation (the
/// in-process CommentRpc) and sends back its reply, or its Status with the exact code, reason
/// and message (kit/rpc/grpc_status.hpp), so a GrpcCommentClient sees what an in-process
/// caller would. Thread-safe as `impl` is; `impl` must outlive the server.
class CommentGrpcService final : public v1::CommentService::Service {
 public:
  explicit CommentGrpcService(CommentClient& impl) : impl_(impl) {}

  grpc::Status Create(grpc::ServerContext* context, const v1::CreateCommentRequest* request,
                      v1::CreateCommentReply* reply) override;
  grpc::Status Delete(grpc::ServerContext* context, const v1::DeleteCommentRequest* request,
                      v1::DeleteCommentReply* reply) override;
  grpc::Status List(grpc::ServerContext* context, const v1::ListCommentsRequest* request,
                    v1::ListCommentsReply* reply) override;
  grpc::Status CountByVideos(grpc::ServerContext* context, const v1::CountCommentsRequest* request,
                             v1::CountCommentsReply* reply) override;
  grpc::Status TopVideos(grpc::ServerContext* context, const v1::TopVideosRequest* request,
                         v1::TopVideosReply* reply) override;

 private:
  CommentClient& impl_;
};

}  // namespace reel::comment
