#pragma once

#include "comment/api/comment_client.hpp"
#include "comment/domain/comment_service.hpp"

namespace reel::comment {

/// The comment service's API (proto/comment/v1/comment.proto), transport-free: converts
/// messages to domain calls and back; no rules live here. Thread-safe.
class CommentRpc final : public CommentClient {
 public:
  explicit CommentRpc(CommentService& service) : service_(service) {}

  Result<v1::CreateCommentReply> Create(const v1::CreateCommentRequest& request) override;
  Result<v1::DeleteCommentReply> Delete(const v1::DeleteCommentRequest& request) override;
  Result<v1::ListCommentsReply> List(const v1::ListCommentsRequest& request) override;
  Result<v1::CountCommentsReply> CountByVideos(const v1::CountCommentsRequest& request) override;
  Result<v1::TopVideosReply> TopVideos(const v1::TopVideosRequest& request) override;
  Result<v1::ListRepliesReply> ListReplies(const v1::ListRepliesRequest& request) override;
  Result<v1::GetCommentsReply> GetComments(const v1::GetCommentsRequest& request) override;
  Result<v1::SetCommentHiddenReply> SetHidden(const v1::SetCommentHiddenRequest& request) override;
  Result<v1::ForgetVideoReply> ForgetVideo(const v1::ForgetVideoRequest& request) override;
  Result<v1::ReconcileCountersReply> ReconcileCounters(
      const v1::ReconcileCountersRequest& request) override;

 private:
  CommentService& service_;
};

void ToProto(const Comment& comment, v1::Comment& out);

}  // namespace reel::comment
