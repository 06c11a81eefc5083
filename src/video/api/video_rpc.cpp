#include "video/api/video_rpc.hpp"

#include <string>
#include <vector>

namespace reel::video {

namespace {

v1::AuditStatus AuditStatusToProto(AuditStatus status) {
  switch (status) {
    case AuditStatus::kPending:
      return v1::PENDING;
    case AuditStatus::kRejected:
      return v1::REJECTED;
    case AuditStatus::kApproved:
      break;
  }
  return v1::APPROVED;
}

void SetIssue16Fields(const Video& video, v1::Video& out) {
  out.set_is_public(video.is_public);
  out.set_audit_status(AuditStatusToProto(video.audit_status));
  out.set_audit_reason(video.audit_reason);
  out.set_is_original(video.is_original);
  out.set_source_url(video.source_url);
}

}  // namespace

void ToProto(const Video& video, v1::Video& out) {
  out.set_id(video.id);
  out.set_author_id(video.author_id);
  out.set_title(video.title);
  out.set_description(video.description);
  out.set_play_key(video.media_key);
  out.set_cover_key(video.cover_key);
  out.set_created_at_ms(video.created_at_ms);
  out.set_width(video.width);
  out.set_height(video.height);
  out.set_duration_ms(video.duration_ms);
  out.mutable_tags()->Assign(video.tags.begin(), video.tags.end());
  SetIssue16Fields(video, out);
}

void ToProto(Video&& video, v1::Video& out) {
  out.set_id(video.id);
  out.set_author_id(video.author_id);
  out.set_title(std::move(video.title));
  out.set_description(std::move(video.description));
  out.set_play_key(std::move(video.media_key));
  out.set_cover_key(std::move(video.cover_key));
  out.set_created_at_ms(video.created_at_ms);
  out.set_width(video.width);
  out.set_height(video.height);
  out.set_duration_ms(video.duration_ms);
  auto& tags = *out.mutable_tags();
  tags.Reserve(static_cast<int>(video.tags.size()));
  for (std::string& tag : video.tags) tags.Add(std::move(tag));
  SetIssue16Fields(video, out);
}

namespace {

std::vector<std::string> TagsOf(const google::protobuf::RepeatedPtrField<std::string>& tags) {
  return {tags.begin(), tags.end()};
}

std::span<const std::int64_t> Ids(const google::protobuf::RepeatedField<std::int64_t>& ids) {
  return {ids.data(), static_cast<std::size_t>(ids.size())};
}

Result<AuditStatus> AuditStatusFromProto(v1::AuditStatus status) {
  switch (status) {
    case v1::APPROVED:
      return AuditStatus::kApproved;
    case v1::PENDING:
      return AuditStatus::kPending;
    case v1::REJECTED:
      return AuditStatus::kRejected;
    default:
      return InvalidArgument("AUDIT_STATUS_INVALID",
                             "audit_status must be approved, pending or rejected");
  }
}

}  // namespace

Result<v1::CreateVideoReply> VideoRpc::CreateVideo(const v1::CreateVideoRequest& request) {
  const std::vector<std::string> tags = TagsOf(request.tags());
  PublishOptions options;
  if (request.has_is_public()) options.is_public = request.is_public();
  if (request.has_is_original()) options.is_original = request.is_original();
  options.source_url = request.source_url();
  auto video = service_.Create(request.author_id(), request.title(), request.description(),
                               request.media_key(), tags, options);
  if (!video.ok()) return video.status();
  v1::CreateVideoReply reply;
  ToProto(*video, *reply.mutable_video());
  return reply;
}

Result<v1::GetVideosReply> VideoRpc::GetVideos(const v1::GetVideosRequest& request) {
  const auto& ids = request.video_ids();
  v1::GetVideosReply reply;
  for (Video& v : service_.Get(Ids(ids), request.viewer_id(), request.all_states())) {
    ToProto(std::move(v), *reply.add_videos());
  }
  return reply;
}

Result<v1::ListVideosReply> VideoRpc::ListVideos(const v1::ListVideosRequest& request) {
  VideoPage page;
  if (const auto& authors = request.author_ids(); !authors.empty()) {
    if (request.author_id() != 0) {
      return InvalidArgument("AUTHORS_INVALID", "give author_id or author_ids, not both");
    }
    auto listed = service_.ListByAuthors(Ids(authors), request.before_ms(), request.limit(),
                                         Ids(request.exclude_author_ids()));
    if (!listed.ok()) return listed.status();
    page = std::move(*listed);
  } else {
    auto listed = service_.List(request.author_id(), request.before_ms(), request.limit(),
                                request.viewer_id(), Ids(request.exclude_author_ids()));
    if (!listed.ok()) return listed.status();
    page = std::move(*listed);
  }
  v1::ListVideosReply reply;
  reply.mutable_videos()->Reserve(static_cast<int>(page.videos.size()));
  for (Video& v : page.videos) ToProto(std::move(v), *reply.add_videos());
  reply.set_next_before_ms(page.next_before_ms);
  return reply;
}

Result<v1::CountWorksReply> VideoRpc::CountWorks(const v1::CountWorksRequest& request) {
  const auto& ids = request.author_ids();
  v1::CountWorksReply reply;
  for (const auto& [author, count] : service_.CountWorks(Ids(ids), request.viewer_id())) {
    (*reply.mutable_work_counts())[author] = count;
  }
  return reply;
}

Result<v1::UpdateVideoReply> VideoRpc::UpdateVideo(const v1::UpdateVideoRequest& request) {
  VideoEdit edit;
  if (request.has_title()) edit.title = request.title();
  if (request.has_description()) edit.description = request.description();
  if (request.replace_tags()) edit.tags = TagsOf(request.tags());
  if (request.has_is_public()) edit.is_public = request.is_public();
  if (request.has_is_original()) edit.is_original = request.is_original();
  if (request.has_source_url()) edit.source_url = request.source_url();
  auto video = service_.Update(request.video_id(), request.author_id(), std::move(edit));
  if (!video.ok()) return video.status();
  v1::UpdateVideoReply reply;
  ToProto(*video, *reply.mutable_video());
  return reply;
}

Result<v1::DeleteVideoReply> VideoRpc::DeleteVideo(const v1::DeleteVideoRequest& request) {
  if (Status s = service_.Delete(request.video_id(), request.author_id()); !s.ok()) return s;
  return v1::DeleteVideoReply{};
}

Result<MediaObject> VideoRpc::IngestUpload(std::int64_t uploader, const std::string& path,
                                           std::string_view sha256) {
  return service_.Ingest(uploader, path, sha256);
}

Result<v1::Video> VideoRpc::PublishUpload(std::int64_t author_id, std::string_view title,
                                          std::string_view description, const std::string& path,
                                          std::string_view sha256, const PublishOptions& options) {
  auto video = service_.Publish(author_id, title, description, path, sha256, options);
  if (!video.ok()) return video.status();
  v1::Video out;
  ToProto(std::move(*video), out);
  return out;
}

Result<v1::ListForReviewReply> VideoRpc::ListForReview(const v1::ListForReviewRequest& request) {
  auto status = AuditStatusFromProto(request.audit_status());
  if (!status.ok()) return status.status();
  ReviewPage page = service_.ListForReview(*status, request.cursor(), request.limit());
  v1::ListForReviewReply reply;
  for (Video& v : page.videos) ToProto(std::move(v), *reply.add_videos());
  reply.set_next_cursor(page.next_cursor);
  return reply;
}

Result<v1::SetAuditStatusReply> VideoRpc::SetAuditStatus(const v1::SetAuditStatusRequest& request) {
  auto status = AuditStatusFromProto(request.audit_status());
  if (!status.ok()) return status.status();
  auto video = service_.SetAuditStatus(request.video_id(), *status, request.reason());
  if (!video.ok()) return video.status();
  v1::SetAuditStatusReply reply;
  ToProto(std::move(*video), *reply.mutable_video());
  return reply;
}

}  // namespace reel::video
