#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kit/status/status.hpp"
#include "video/domain/upload_quota.hpp"
#include "video/domain/video.hpp"

namespace reel::video {

/// A media file whose deletion failed after no row named it any more: kept until a retry
/// deletes it, or an upload of the same bytes makes it an object's file again.
struct BlobDeletion {
  std::string media_key;          // the blob's key (the playable file or the cover)
  std::string sha256;             // the object it was a file of
  std::int64_t failed_at_ms = 0;  // the latest failure
  std::int64_t attempts = 0;      // failures so far
};

/// Storage of media objects, who uploaded them, and videos. An object is referenced while a
/// video uses it or an unexpired pending upload names it; the writes that can end that
/// (DeleteVideo, ExpireUploads) remove an unreferenced object's rows in their own
/// transaction, so whether it is referenced is decided there. Implementations are
/// thread-safe.
class VideoRepository {
 public:
  virtual ~VideoRepository() = default;

  virtual std::optional<MediaObject> FindMediaBySha(std::string_view sha256) = 0;
  virtual std::optional<MediaObject> FindMediaByKey(std::string_view key) = 0;

  /// Records `upload` (a pending upload: a row per user and object, a second upload
  /// refreshes its time and makes it pending again) in one write transaction, after
  /// checking `limits` with CheckUploadQuota against the user's usage read in that same
  /// transaction. `first`, when given, is the object's first upload: its row is inserted
  /// first. Returns the stored object.
  /// Errors: MEDIA_NOT_FOUND (no `first`, and the object is gone: removed since the caller
  /// looked); those of CheckUploadQuota. A refusal changes nothing.
  virtual Result<MediaObject> RecordUpload(const MediaUpload& upload, const MediaObject* first,
                                           const UploadLimits& limits) = 0;

  /// `user_id`'s usage as CheckUploadQuota counts it, seen from the object `sha256`.
  /// Pending uploads made at or before `pending_cutoff_ms` have expired.
  virtual MediaUsage UsageOf(std::int64_t user_id, std::string_view sha256,
                             std::int64_t pending_cutoff_ms) = 0;

  /// Stores a video and returns it; its author's upload of the media becomes published. Its
  /// created_at_ms is the requested time or, when that is not later than every stored
  /// video's, one millisecond after the latest: times are unique, so paging by time never
  /// repeats or skips. Errors: MEDIA_NOT_FOUND; MEDIA_NOT_YOURS (PERMISSION_DENIED) when the
  /// author has no upload of the media, published or pending after `pending_cutoff_ms`.
  virtual Result<Video> CreateVideo(const NewVideo& video, std::int64_t pending_cutoff_ms) = 0;

  /// The videos that exist among `ids`, in no particular order.
  virtual std::vector<Video> FindByIds(std::span<const std::int64_t> ids) = 0;

  /// Newest first, as `query` says: visible to everyone only unless query.visible_only is
  /// false, leaving out query.exclude_author_ids. Served by partial indexes over the visible
  /// videos (overall and per author).
  virtual std::vector<Video> List(const VideoQuery& query) = 0;

  /// Newest first among the videos of `author_ids` visible to everyone, created_at_ms <
  /// before_ms (0: no bound), leaving out `exclude_author_ids`. One query however many
  /// authors.
  virtual std::vector<Video> ListByAuthors(std::span<const std::int64_t> author_ids,
                                           std::int64_t before_ms, int limit,
                                           std::span<const std::int64_t> exclude_author_ids) = 0;

  /// Applies `edit` to the video when `author_id` wrote it, and returns the result. The
  /// provenance after the edit (edit.is_original / source_url over the stored ones) is
  /// checked with CheckProvenance in the same transaction.
  /// Errors: VIDEO_NOT_FOUND, VIDEO_NOT_YOURS (PERMISSION_DENIED), SOURCE_URL_INVALID; each
  /// changes nothing.
  virtual Result<Video> UpdateVideo(std::int64_t video_id, std::int64_t author_id,
                                    const VideoEdit& edit) = 0;

  /// Removes the video (and its tags) when `author_id` wrote it and, in the same
  /// transaction, its media object when nothing references it any more (no video, no
  /// pending upload after `pending_cutoff_ms`): the object's row and upload rows go, and it is
  /// returned so the caller removes its files. Errors: VIDEO_NOT_FOUND, VIDEO_NOT_YOURS.
  virtual Result<std::vector<MediaObject>> DeleteVideo(std::int64_t video_id,
                                                       std::int64_t author_id,
                                                       std::int64_t pending_cutoff_ms) = 0;

  /// Removes up to `limit` pending uploads made at or before `pending_cutoff_ms`, oldest
  /// first, and, in the same transaction, every object among theirs that nothing references
  /// any more (as DeleteVideo). The caller removes the returned objects' files.
  virtual ExpiredUploads ExpireUploads(std::int64_t pending_cutoff_ms, int limit) = 0;

  /// Records that deleting `deletion.media_key` failed at deletion.failed_at_ms: a new entry
  /// with one attempt, or the entry's attempts raised and its time moved to this failure.
  virtual void RecordFailedDeletion(const BlobDeletion& deletion) = 0;
  /// Up to `limit` entries, the longest since their latest failure first.
  virtual std::vector<BlobDeletion> FailedDeletions(int limit) = 0;
  /// Forgets the entry of `media_key` (absent: nothing happens).
  virtual void DropFailedDeletion(std::string_view media_key) = 0;

  /// Number of videos per author, all and visible to everyone; authors without videos are
  /// absent.
  virtual std::unordered_map<std::int64_t, WorkCount> CountByAuthors(
      std::span<const std::int64_t> author_ids) = 0;

  /// Videos in `status`, oldest first (by id), with id > after_id; at most `limit`.
  virtual std::vector<Video> ListByAuditStatus(AuditStatus status, std::int64_t after_id,
                                               int limit) = 0;

  /// Sets a video's audit status and reason. Errors: VIDEO_NOT_FOUND (nothing changed).
  virtual Result<Video> SetAuditStatus(std::int64_t video_id, AuditStatus status,
                                       std::string_view reason) = 0;
};

}  // namespace reel::video
