#include "comment/api/comment_grpc_client.hpp"

#include <utility>

namespace reel::comment {
namespace {

using rpc::CallKind;
using Stub = v1::CommentService::Stub;

}  // namespace

GrpcCommentClient::GrpcCommentClient(std::unique_ptr<rpc::ChannelSet> channels,
                                     const rpc::RpcConfig& config, const Clock& clock)
    : caller_("comment", std::move(channels), config, clock) {}

Result<v1::CreateCommentReply> GrpcCommentClient::Create(const v1::CreateCommentRequest& request) {
  return caller_.Call("Create", CallKind::kWrite, request, &Stub::Create);
}

Result<v1::DeleteCommentReply> GrpcCommentClient::Delete(const v1::DeleteCommentRequest& request) {
  return caller_.Call("Delete", CallKind::kWrite, request, &Stub::Delete);
}

Result<v1::ListCommentsReply> GrpcCommentClient::List(const v1::ListCommentsRequest& request) {
  return caller_.Call("List", CallKind::kRead, request, &Stub::List);
}

Result<v1::CountCommentsReply> GrpcCommentClient::CountByVideos(
    const v1::CountCommentsRequest& request) {
  return caller_.Call("CountByVideos", CallKind::kRead, request, &Stub::CountByVideos);
}

Result<v1::TopVideosReply> GrpcCommentClient::TopVideos(const v1::TopVideosRequest& request) {
  return caller_.Call("TopVideos", CallKind::kRead, request, &Stub::TopVideos);
}

}  // namespace reel::comment
