#pragma once

#include "comment/api/comment_client.hpp"
#include "moderation/domain/moderation_targets.hpp"
#include "user/api/user_client.hpp"
#include "video/api/video_client.hpp"

namespace reel::moderation {

/// ModerationTargets answered by the services that own them, through their clients
/// (in-process or gRPC): videos by VideoClient (GetVideos as the reporter; SetAuditStatus),
/// comments by CommentClient (GetComments, SetHidden), users and roles by UserClient
/// (BatchGetUsers as the reporter, SetHidden, SetRole). A comment is visible to a reporter
/// when it is not hidden, its video is visible to them and its author is; a video when the
/// video service shows it to them and its author is visible.
class ClientTargets final : public ModerationTargets {
 public:
  ClientTargets(user::UserClient& users, video::VideoClient& videos,
                comment::CommentClient& comments)
      : users_(users), videos_(videos), comments_(comments) {}

  Result<std::optional<std::int64_t>> OwnerIfVisible(const Target& target,
                                                     std::int64_t viewer) override;
  Status SetHidden(const Target& target, bool hidden) override;
  Status Remove(const Target& target, std::string_view note) override;
  Status ReviewVideo(std::int64_t video_id, bool approve, std::string_view reason) override;
  Result<bool> HasModeratorRole(std::int64_t user_id) override;
  Status SetModeratorRole(std::int64_t user_id, bool grant) override;

  /// The "reason" a video hidden by reports carries while it waits for review.
  static constexpr std::string_view kReportedReason = "reported";

 private:
  Result<bool> UserVisible(std::int64_t user_id, std::int64_t viewer);
  Result<std::optional<std::int64_t>> VideoAuthorIfVisible(std::int64_t video_id,
                                                           std::int64_t viewer);
  Status SetAudit(std::int64_t video_id, video::v1::AuditStatus status, std::string_view reason);
  Status SetCommentHidden(std::int64_t comment_id, bool hidden);
  Status SetUserHidden(std::int64_t user_id, bool hidden);

  user::UserClient& users_;
  video::VideoClient& videos_;
  comment::CommentClient& comments_;
};

}  // namespace reel::moderation
