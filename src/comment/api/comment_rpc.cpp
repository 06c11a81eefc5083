#include "comment/api/comment_rpc.hpp"

namespace reel::comment {

void ToProto(const Comment& comment, v1::Comment& out) {
  out.set_id(comment.id);
  out.set_video_id(comment.video_id);
  out.set_user_id(comment.user_id);
  out.set_content(comment.content);
  out.set_created_at_ms(comment.created_at_ms);
  out.set_parent_id(comment.parent_id);
  out.set_reply_to_user_id(comment.reply_to_user_id);
  out.set_reply_to_comment_id(comment.reply_to_comment_id);
  out.set_hidden(comment.hidden);
}

Result<v1::CreateCommentReply> CommentRpc::Create(const v1::CreateCommentRequest& request) {
  auto comment = service_.Create(request.user_id(), request.video_id(), request.content(),
                                 request.parent_id());
  if (!comment.ok()) return comment.status();
  v1::CreateCommentReply reply;
  ToProto(*comment, *reply.mutable_comment());
  return reply;
}

Result<v1::DeleteCommentReply> CommentRpc::Delete(const v1::DeleteCommentRequest& request) {
  auto comment = service_.Delete(request.user_id(), request.comment_id());
  if (!comment.ok()) return comment.status();
  v1::DeleteCommentReply reply;
  ToProto(*comment, *reply.mutable_comment());
  return reply;
}

Result<v1::ListCommentsReply> CommentRpc::List(const v1::ListCommentsRequest& request) {
  auto page = service_.List(request.video_id(), request.cursor(), request.limit(),
                            request.top_level_only(), request.viewer_id());
  if (!page.ok()) return page.status();
  v1::ListCommentsReply reply;
  for (const CommentThread& thread : page->comments) {
    v1::Comment& out = *reply.add_comments();
    ToProto(thread.comment, out);
    out.set_reply_count(thread.reply_count);
    for (const Comment& r : thread.first_replies) ToProto(r, *out.add_first_replies());
  }
  reply.set_next_cursor(page->next_cursor);
  return reply;
}

Result<v1::CountCommentsReply> CommentRpc::CountByVideos(const v1::CountCommentsRequest& request) {
  const auto& ids = request.video_ids();
  v1::CountCommentsReply reply;
  for (const auto& [video, count] :
       service_.CountByVideos({ids.data(), static_cast<std::size_t>(ids.size())})) {
    (*reply.mutable_counts())[video] = count;
  }
  return reply;
}

Result<v1::TopVideosReply> CommentRpc::TopVideos(const v1::TopVideosRequest& request) {
  v1::TopVideosReply reply;
  for (const VideoCommentCount& top : service_.TopVideos(request.limit())) {
    v1::VideoCount& out = *reply.add_videos();
    out.set_video_id(top.video_id);
    out.set_count(top.count);
  }
  return reply;
}

Result<v1::ListRepliesReply> CommentRpc::ListReplies(const v1::ListRepliesRequest& request) {
  auto page = service_.ListReplies(request.comment_id(), request.cursor(), request.limit(),
                                   request.viewer_id());
  if (!page.ok()) return page.status();
  v1::ListRepliesReply reply;
  for (const Comment& c : page->replies) ToProto(c, *reply.add_replies());
  reply.set_next_cursor(page->next_cursor);
  return reply;
}

Result<v1::GetCommentsReply> CommentRpc::GetComments(const v1::GetCommentsRequest& request) {
  const auto& ids = request.comment_ids();
  auto found = service_.GetComments({ids.data(), static_cast<std::size_t>(ids.size())});
  if (!found.ok()) return found.status();
  v1::GetCommentsReply reply;
  for (const Comment& c : *found) ToProto(c, *reply.add_comments());
  return reply;
}

Result<v1::SetCommentHiddenReply> CommentRpc::SetHidden(
    const v1::SetCommentHiddenRequest& request) {
  auto changed = service_.SetHidden(request.comment_id(), request.hidden());
  if (!changed.ok()) return changed.status();
  v1::SetCommentHiddenReply reply;
  ToProto(*changed, *reply.mutable_comment());
  return reply;
}

Result<v1::ForgetVideoReply> CommentRpc::ForgetVideo(const v1::ForgetVideoRequest& request) {
  v1::ForgetVideoReply reply;
  reply.set_removed(service_.RemoveCommentsOfVideo(request.video_id()));
  return reply;
}

Result<v1::ReconcileCountersReply> CommentRpc::ReconcileCounters(
    const v1::ReconcileCountersRequest&) {
  v1::ReconcileCountersReply reply;
  for (const CounterRepair& repair : service_.ReconcileCounters()) {
    v1::CounterRepair& out = *reply.add_repairs();
    out.set_counter(repair.counter);
    out.set_rows_fixed(repair.rows_fixed);
  }
  return reply;
}

}  // namespace reel::comment
