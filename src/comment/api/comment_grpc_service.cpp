#include "comment/api/comment_grpc_service.hpp"

#include "kit/rpc/grpc_status.hpp"

namespace reel::comment {

grpc::Status CommentGrpcService::Create(grpc::ServerContext*,
                                        const v1::CreateCommentRequest* request,
                                        v1::CreateCommentReply* reply) {
  return rpc::Answer(impl_.Create(*request), reply);
}

grpc::Status CommentGrpcService::Delete(grpc::ServerContext*,
                                        const v1::DeleteCommentRequest* request,
                                        v1::DeleteCommentReply* reply) {
  return rpc::Answer(impl_.Delete(*request), reply);
}

grpc::Status CommentGrpcService::List(grpc::ServerContext*, const v1::ListCommentsRequest* request,
                                      v1::ListCommentsReply* reply) {
  return rpc::Answer(impl_.List(*request), reply);
}

grpc::Status CommentGrpcService::CountByVideos(grpc::ServerContext*,
                                               const v1::CountCommentsRequest* request,
                                               v1::CountCommentsReply* reply) {
  return rpc::Answer(impl_.CountByVideos(*request), reply);
}

grpc::Status CommentGrpcService::TopVideos(grpc::ServerContext*,
                                           const v1::TopVideosRequest* request,
                                           v1::TopVideosReply* reply) {
  return rpc::Answer(impl_.TopVideos(*request), reply);
}

}  // namespace reel::comment
