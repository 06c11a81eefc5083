#pragma once

#include "comment/v1/comment.pb.h"
#include "kit/status/status.hpp"

namespace reel::comment {

/// How other modules call the comment service. CommentRpc is the in-process
/// implementation. Implementations are thread-safe.
class CommentClient {
 public:
  virtual ~CommentClient() = default;
  virtual Result<v1::CreateCommentReply> Create(const v1::CreateCommentRequest& request) = 0;
  virtual Result<v1::DeleteCommentReply> Delete(const v1::DeleteCommentRequest& request) = 0;
  virtual Result<v1::ListCommentsReply> List(const v1::ListCommentsRequest& request) = 0;
  virtual Result<v1::CountCommentsReply> CountByVideos(const v1::CountCommentsRequest& request) = 0;
  /// The most-commented videos, most first (the hot feed's older candidates).
  virtual Result<v1::TopVideosReply> TopVideos(const v1::TopVideosRequest& request) = 0;
};

}  // namespace reel::comment
