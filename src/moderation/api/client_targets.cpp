#include "moderation/api/client_targets.hpp"

namespace reel::moderation {

Result<bool> ClientTargets::UserVisible(std::int64_t user_id, std::int64_t viewer) {
  user::v1::BatchGetUsersRequest request;
  request.add_user_ids(user_id);
  request.set_viewer_id(viewer);
  auto reply = users_.BatchGetUsers(request);
  if (!reply.ok()) return reply.status();
  return !reply->users().empty();
}

Result<std::optional<std::int64_t>> ClientTargets::VideoAuthorIfVisible(std::int64_t video_id,
                                                                        std::int64_t viewer) {
  video::v1::GetVideosRequest request;
  request.add_video_ids(video_id);
  request.set_viewer_id(viewer);  // another's private or unapproved video is not found
  auto reply = videos_.GetVideos(request);
  if (!reply.ok()) return reply.status();
  if (reply->videos().empty()) return std::optional<std::int64_t>();
  const std::int64_t author = reply->videos(0).author_id();
  auto author_visible = UserVisible(author, viewer);
  if (!author_visible.ok()) return author_visible.status();
  if (!*author_visible) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(author);
}

Result<std::optional<std::int64_t>> ClientTargets::OwnerIfVisible(const Target& target,
                                                                  std::int64_t viewer) {
  switch (target.type) {
    case TargetType::kVideo:
      return VideoAuthorIfVisible(target.id, viewer);
    case TargetType::kComment: {
      comment::v1::GetCommentsRequest request;
      request.add_comment_ids(target.id);
      auto reply = comments_.GetComments(request);
      if (!reply.ok()) return reply.status();
      if (reply->comments().empty()) return std::optional<std::int64_t>();
      const auto& c = reply->comments(0);
      if (c.hidden() && c.user_id() != viewer) return std::optional<std::int64_t>();
      auto video = VideoAuthorIfVisible(c.video_id(), viewer);
      if (!video.ok()) return video.status();
      if (!*video) return std::optional<std::int64_t>();
      auto author_visible = UserVisible(c.user_id(), viewer);
      if (!author_visible.ok()) return author_visible.status();
      if (!*author_visible) return std::optional<std::int64_t>();
      return std::optional<std::int64_t>(c.user_id());
    }
    case TargetType::kUser: {
      auto visible = UserVisible(target.id, viewer);
      if (!visible.ok()) return visible.status();
      if (!*visible) return std::optional<std::int64_t>();
      return std::optional<std::int64_t>(target.id);
    }
  }
  return std::optional<std::int64_t>();
}

Status ClientTargets::SetAudit(std::int64_t video_id, video::v1::AuditStatus status,
                               std::string_view reason) {
  video::v1::SetAuditStatusRequest request;
  request.set_video_id(video_id);
  request.set_audit_status(status);
  request.set_reason(std::string(reason));
  auto reply = videos_.SetAuditStatus(request);
  return reply.ok() ? Status::Ok() : reply.status();
}

Status ClientTargets::SetCommentHidden(std::int64_t comment_id, bool hidden) {
  comment::v1::SetCommentHiddenRequest request;
  request.set_comment_id(comment_id);
  request.set_hidden(hidden);
  auto reply = comments_.SetHidden(request);
  return reply.ok() ? Status::Ok() : reply.status();
}

Status ClientTargets::SetUserHidden(std::int64_t user_id, bool hidden) {
  user::v1::SetHiddenRequest request;
  request.set_user_id(user_id);
  request.set_hidden(hidden);
  auto reply = users_.SetHidden(request);
  return reply.ok() ? Status::Ok() : reply.status();
}

Status ClientTargets::SetHidden(const Target& target, bool hidden) {
  switch (target.type) {
    case TargetType::kVideo:
      // Reportable videos are approved ones (others are not visible to a reporter), so
      // showing one again approves it.
      return hidden ? SetAudit(target.id, video::v1::PENDING, kReportedReason)
                    : SetAudit(target.id, video::v1::APPROVED, "");
    case TargetType::kComment:
      return SetCommentHidden(target.id, hidden);
    case TargetType::kUser:
      return SetUserHidden(target.id, hidden);
  }
  return Status::Ok();
}

Status ClientTargets::Remove(const Target& target, std::string_view note) {
  if (target.type == TargetType::kVideo) return SetAudit(target.id, video::v1::REJECTED, note);
  return SetHidden(target, true);
}

Status ClientTargets::ReviewVideo(std::int64_t video_id, bool approve, std::string_view reason) {
  return SetAudit(video_id, approve ? video::v1::APPROVED : video::v1::REJECTED, reason);
}

Result<bool> ClientTargets::HasModeratorRole(std::int64_t user_id) {
  user::v1::GetUserRequest request;
  request.set_user_id(user_id);
  request.set_all_states(true);  // a hidden moderator is still one
  auto reply = users_.GetUser(request);
  if (!reply.ok()) {
    if (reply.status().code == Code::kNotFound) return false;
    return reply.status();
  }
  return reply->user().role() == "moderator";
}

Status ClientTargets::SetModeratorRole(std::int64_t user_id, bool grant) {
  user::v1::SetRoleRequest request;
  request.set_user_id(user_id);
  request.set_role(grant ? "moderator" : "user");
  auto reply = users_.SetRole(request);
  return reply.ok() ? Status::Ok() : reply.status();
}

}  // namespace reel::moderation
