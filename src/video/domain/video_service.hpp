#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kit/blob/blob_store.hpp"
#include "kit/clock/clock.hpp"
#include "kit/events/commit_hook.hpp"
#include "kit/status/status.hpp"
#include "video/domain/upload_quota.hpp"
#include "video/domain/video.hpp"
#include "video/domain/video_repository.hpp"

namespace reel::video {

struct MediaSettings {
  std::uint64_t max_upload_bytes = 100ull << 20;
  std::string work_dir;  // scratch space for covers and rewrites, on the blob store's disk
  /// An upload not published within this time expires (ExpireUploads removes it).
  std::chrono::milliseconds pending_upload_ttl = std::chrono::hours(24);
  /// Per user: unpublished uploads held at once, and bytes stored over their videos and
  /// pending uploads (see CheckUploadQuota).
  std::int64_t max_pending_uploads = 20;
  std::uint64_t max_bytes_per_user = 10ull << 30;
  /// moderation.mode "pre": new videos are PENDING until a moderator approves them
  /// (SetAuditStatus); otherwise they are approved at once.
  bool pre_moderation = false;
};

/// How a video is published beyond its text (issue 16). Absent: public, original.
struct PublishOptions {
  std::optional<bool> is_public;
  std::optional<bool> is_original;
  std::string source_url;  // raw; required exactly when is_original is false
};

/// A page of the review queue, oldest first; next_cursor 0 when no more.
struct ReviewPage {
  std::vector<Video> videos;
  std::int64_t next_cursor = 0;
};

/// What one ExpireUploads call removed.
struct SweepReport {
  std::size_t uploads = 0;  // expired pending uploads
  std::size_t objects = 0;  // media objects (and their files) nothing used any more
  /// Files whose earlier deletion had failed: deleted now, claimed again by an object (an
  /// identical upload stored it since), and failing still (retried by the next sweep).
  std::size_t files_deleted = 0;
  std::size_t files_reclaimed = 0;
  std::size_t files_still_failing = 0;
};

/// A page of videos, newest first, and the cursor for the next one (0 when empty).
struct VideoPage {
  std::vector<Video> videos;
  std::int64_t next_before_ms = 0;
};

/// The video use cases: ingesting uploads into media objects, publishing, editing, deleting
/// and listing videos, and removing media nothing uses any more. The repository records each
/// committed change's event with it (VIDEO_PUBLISHED, VIDEO_UPDATED, VIDEO_DELETED;
/// subject: the video, actor: its author); `committed` publishes them after the commit.
///
/// Media lifecycle: an object is stored once per content (SHA-256) and kept while a video
/// uses it or an unexpired pending upload names it (see VideoRepository). Deleting its last
/// video, or the expiry of its last pending upload, removes it: row and files, after which
/// GET /media answers 404. The repository decides that inside the write transaction; this
/// class guards the files: storing an object's files and deleting them hold the same lock
/// (striped by SHA-256), and files are deleted only when, under that lock, no row names the
/// object again. So a concurrent upload of identical bytes never ends with a row whose
/// files are gone. A file whose deletion fails (the blob store down or timing out, also when
/// a publish fails halfway and its stored cover must go) is recorded in the repository
/// (RecordFailedDeletion) and deleted by a later ExpireUploads, under the same lock and on
/// the same condition, so nothing stays behind once the store is back. The lock is
/// in-process: replicas of the video service over one store would need a shared one.
/// Thread-safe.
class VideoService {
 public:
  static constexpr int kMaxPageSize = 100;
  /// List limits go one past a page, so a caller can tell whether another page follows.
  static constexpr int kMaxListLimit = kMaxPageSize + 1;
  /// The most authors one ListByAuthors call may name (the following feed's bound).
  static constexpr std::size_t kMaxListAuthors = 2000;

  VideoService(VideoRepository& repository, blob::BlobStore& blobs, MediaSettings settings,
               const Clock& clock, const events::CommitHook& committed);

  /// Turns `uploader`'s uploaded file into a stored media object and records the upload as
  /// pending (publish it with Create before it expires): refuses what is not a playable
  /// video, makes the cover, moves an MP4's index to the front, stores both under content
  /// keys. Identical bytes are processed and stored once; each uploader gets an upload of
  /// them. The quotas are checked before the decode and again, exactly, when the upload is
  /// recorded. The file at `upload_path` may be consumed. `sha256` is the file's hash when
  /// the caller computed it already (empty: hash it here).
  /// Errors: MEDIA_INVALID (INVALID_ARGUMENT), MEDIA_TOO_LARGE, STORAGE_QUOTA_EXCEEDED
  /// (PAYLOAD_TOO_LARGE), UPLOADS_PENDING_LIMIT (RESOURCE_EXHAUSTED).
  Result<MediaObject> Ingest(std::int64_t uploader, const std::string& upload_path,
                             std::string_view sha256 = {});

  /// Publishes an upload in one step: checks the title and description first (a bad title
  /// must not cost a decode), then ingests the file, then stores the video. `sha256` as for
  /// Ingest. The pending-uploads limit does not apply: nothing is left pending.
  /// Errors: those of Ingest (but UPLOADS_PENDING_LIMIT) and Create.
  Result<Video> Publish(std::int64_t author_id, std::string_view title,
                        std::string_view description, const std::string& upload_path,
                        std::string_view sha256 = {}, const PublishOptions& options = {});

  /// Publishes an ingested media object that `author_id` uploaded (a pending upload that has
  /// not expired, or one published before). It is PENDING under pre-moderation, else
  /// approved. Errors: TITLE_INVALID, DESCRIPTION_INVALID, TAGS_INVALID (see NormalizeTags),
  /// SOURCE_URL_INVALID (see CheckProvenance), MEDIA_NOT_FOUND, MEDIA_NOT_YOURS
  /// (PERMISSION_DENIED).
  Result<Video> Create(std::int64_t author_id, std::string_view title, std::string_view description,
                       std::string_view media_key, std::span<const std::string> tags = {},
                       const PublishOptions& options = {});

  /// Changes what `edit` gives (raw input: it is checked and normalised here as Create does)
  /// when `author_id` wrote the video. A change of is_public is reported as VIDEO_UPDATED,
  /// which takes the video out of (or back into) search. Errors: PARAM_MISSING (nothing to
  /// change), TITLE_INVALID, DESCRIPTION_INVALID, TAGS_INVALID, SOURCE_URL_INVALID,
  /// VIDEO_NOT_FOUND, VIDEO_NOT_YOURS.
  Result<Video> Update(std::int64_t video_id, std::int64_t author_id, VideoEdit edit);

  /// Removes a video of `author_id`'s, and its media object (files included) when nothing
  /// else uses it: no other video, no unexpired pending upload. Errors: VIDEO_NOT_FOUND,
  /// VIDEO_NOT_YOURS.
  Status Delete(std::int64_t video_id, std::int64_t author_id);

  /// Removes the pending uploads that have expired (pending_upload_ttl after upload, on the
  /// injected clock), and the media objects, files included, that only they kept. One call
  /// removes everything expired, in bounded batches; run it periodically (UploadSweeper).
  /// First it retries the file deletions that failed before (see the class comment); while
  /// the blob store still fails it stops at the first failure and logs one line.
  SweepReport ExpireUploads();

  /// The videos among `ids` that `viewer_id` (0: anonymous) may see (Video::VisibleTo), in
  /// the order of ids; with `all_states` every one that exists (bookkeeping, moderators).
  std::vector<Video> Get(std::span<const std::int64_t> ids, std::int64_t viewer_id = 0,
                         bool all_states = false);
  /// author_id 0: every author. Videos visible to everyone, except that an author listing
  /// their own (author_id == viewer_id) sees all of theirs. limit is clamped to
  /// 1..kMaxListLimit. Errors: AUTHORS_INVALID (more than kMaxListAuthors excluded).
  Result<VideoPage> List(std::int64_t author_id, std::int64_t before_ms, int limit,
                         std::int64_t viewer_id = 0,
                         std::span<const std::int64_t> exclude_author_ids = {});
  /// The videos visible to everyone of any of `author_ids` (1..kMaxListAuthors of them),
  /// newest first; limit as for List. Errors: AUTHORS_INVALID.
  Result<VideoPage> ListByAuthors(std::span<const std::int64_t> author_ids, std::int64_t before_ms,
                                  int limit, std::span<const std::int64_t> exclude_author_ids = {});
  /// Videos visible to everyone per author, except `viewer_id`'s own count of all theirs.
  std::unordered_map<std::int64_t, std::int64_t> CountWorks(
      std::span<const std::int64_t> author_ids, std::int64_t viewer_id = 0);

  /// The review queue: videos in `status`, oldest first, after `cursor` (0: from the start);
  /// limit clamped to 1..kMaxPageSize.
  ReviewPage ListForReview(AuditStatus status, std::int64_t cursor, int limit);
  /// Sets a video's audit status (the caller checked who asks). Rejecting needs a reason;
  /// holding pending may give one; approving clears it. Reported as VIDEO_UPDATED.
  /// Errors: REASON_INVALID, VIDEO_NOT_FOUND.
  Result<Video> SetAuditStatus(std::int64_t video_id, AuditStatus status, std::string_view reason);

 private:
  struct Prepared;  // a decoded upload's cover and playable file, ready to store
  static constexpr std::size_t kMediaLockStripes = 64;

  // IngestUncounted, counted in the upload metrics (reel_uploads_total, bytes, refusals).
  Result<MediaObject> IngestWithin(const UploadLimits& limits, std::int64_t uploader,
                                   const std::string& upload_path, std::string_view known_sha256);
  Result<MediaObject> IngestUncounted(const UploadLimits& limits, std::int64_t uploader,
                                      const std::string& upload_path, std::string_view sha256);
  Status Prepare(const std::string& upload_path, const std::string& sha256, Prepared& out);
  /// Stores a prepared object's files and records its first upload; the caller holds the
  /// object's lock.
  Result<MediaObject> Store(Prepared& prepared, const MediaUpload& upload,
                            const UploadLimits& limits);
  /// Deletes the files of objects whose rows a transaction removed, unless an identical
  /// upload stored the object again since.
  void RemoveFiles(const std::vector<MediaObject>& removed);
  /// Deletes an object's files, recording each deletion that fails for a retry; the caller
  /// holds the object's lock and no row names it.
  void DeleteFiles(const MediaObject& media);
  /// Retries the recorded deletions, the longest waiting first, in bounded batches.
  void RetryFailedDeletions(SweepReport& report);
  std::mutex& MediaLock(std::string_view sha256);
  UploadLimits Limits(bool limit_pending) const;
  /// The video as it will be stored, its text normalised; media_key still empty.
  Result<NewVideo> Draft(std::int64_t author_id, std::string_view title,
                         std::string_view description, std::span<const std::string> tags,
                         const PublishOptions& options) const;

  VideoRepository& repository_;
  blob::BlobStore& blobs_;
  MediaSettings settings_;
  const Clock& clock_;
  const events::CommitHook& committed_;
  std::array<std::mutex, kMediaLockStripes> media_locks_;
};

}  // namespace reel::video
