#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "video/api/video_client.hpp"
#include "video/domain/video_service.hpp"

namespace reel::video {

/// The video service's API (proto/video/v1/video.proto), transport-free: converts messages
/// to domain calls and back. Thread-safe.
class VideoRpc final : public VideoClient {
 public:
  explicit VideoRpc(VideoService& service) : service_(service) {}

  Result<v1::CreateVideoReply> CreateVideo(const v1::CreateVideoRequest& request) override;
  Result<v1::GetVideosReply> GetVideos(const v1::GetVideosRequest& request) override;
  Result<v1::ListVideosReply> ListVideos(const v1::ListVideosRequest& request) override;
  Result<v1::CountWorksReply> CountWorks(const v1::CountWorksRequest& request) override;
  Result<v1::UpdateVideoReply> UpdateVideo(const v1::UpdateVideoRequest& request) override;
  Result<v1::DeleteVideoReply> DeleteVideo(const v1::DeleteVideoRequest& request) override;

  // Uploads. These are not RPCs of proto/video/v1 and not part of VideoClient: the file is a
  // path in this process's spool directory, which a call to another process (perhaps on
  // another machine) could not read. The upload routes run in the video service's own
  // process (`reel all`, `reel serve video`), so they call these in-process; uploads through
  // another process would need the bytes streamed, or put in a shared blob store first.

  /// VideoService::Ingest: `uploader`'s spooled file (`path`, its SHA-256 when known) becomes
  /// a stored media object and a pending upload. Errors as Ingest's.
  Result<MediaObject> IngestUpload(std::int64_t uploader, const std::string& path,
                                   std::string_view sha256);
  /// VideoService::Publish: the spooled file published as a video in one step; the video.
  /// Errors as Publish's.
  Result<v1::Video> PublishUpload(std::int64_t author_id, std::string_view title,
                                  std::string_view description, const std::string& path,
                                  std::string_view sha256, const PublishOptions& options = {});

  /// The review queue (VideoService::ListForReview). Errors: AUDIT_STATUS_INVALID.
  Result<v1::ListForReviewReply> ListForReview(const v1::ListForReviewRequest& request) override;
  /// VideoService::SetAuditStatus; the caller (the moderation service) checked who asks.
  /// Errors: AUDIT_STATUS_INVALID, REASON_INVALID, VIDEO_NOT_FOUND.
  Result<v1::SetAuditStatusReply> SetAuditStatus(const v1::SetAuditStatusRequest& request) override;

 private:
  VideoService& service_;
};

void ToProto(const Video& video, v1::Video& out);
/// The same, moving the strings: for videos the caller no longer needs (a page it copied).
void ToProto(Video&& video, v1::Video& out);

}  // namespace reel::video
