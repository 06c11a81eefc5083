#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kit/blob/blob_store.hpp"
#include "kit/clock/clock.hpp"
#include "kit/events/event_bus.hpp"
#include "kit/status/status.hpp"
#include "video/domain/video.hpp"
#include "video/domain/video_repository.hpp"

namespace reel::video {

struct MediaSettings {
  std::uint64_t max_upload_bytes = 100ull << 20;
  std::string work_dir;  // scratch space for covers and rewrites, on the blob store's disk
};

/// A page of videos, newest first, and the cursor for the next one (0 when empty).
struct VideoPage {
  std::vector<Video> videos;
  std::int64_t next_before_ms = 0;
};

/// The video use cases: ingesting uploads into media objects, publishing, editing, deleting
/// and listing videos. Each committed change is reported to `events` (VIDEO_PUBLISHED,
/// VIDEO_UPDATED, VIDEO_DELETED; subject: the video, actor: its author) after the commit.
/// Thread-safe.
class VideoService {
 public:
  static constexpr int kMaxPageSize = 100;
  /// List limits go one past a page, so a caller can tell whether another page follows.
  static constexpr int kMaxListLimit = kMaxPageSize + 1;
  /// The most authors one ListByAuthors call may name (the following feed's bound).
  static constexpr std::size_t kMaxListAuthors = 2000;

  VideoService(VideoRepository& repository, blob::BlobStore& blobs, MediaSettings settings,
               const Clock& clock, events::EventSink& events);

  /// Turns an uploaded file into a stored media object: refuses what is not a playable video,
  /// makes the cover, moves an MP4's index to the front, stores both under content keys.
  /// Identical bytes are processed once. The file at `upload_path` is consumed.
  /// `sha256` is the file's hash when the caller computed it already (empty: hash it here).
  /// Errors: MEDIA_INVALID (INVALID_ARGUMENT), MEDIA_TOO_LARGE (PAYLOAD_TOO_LARGE).
  Result<MediaObject> Ingest(const std::string& upload_path, std::string_view sha256 = {});

  /// Publishes an upload: checks the title and description first (a bad title must not
  /// cost a decode), then ingests the file, then stores the video. `sha256` as for Ingest.
  /// Errors: those of Ingest and Create.
  Result<Video> Publish(std::int64_t author_id, std::string_view title,
                        std::string_view description, const std::string& upload_path,
                        std::string_view sha256 = {});

  /// Publishes an ingested media object. Errors: TITLE_INVALID, DESCRIPTION_INVALID,
  /// TAGS_INVALID (see NormalizeTags), MEDIA_NOT_FOUND.
  Result<Video> Create(std::int64_t author_id, std::string_view title, std::string_view description,
                       std::string_view media_key, std::span<const std::string> tags = {});

  /// Changes what `edit` gives (raw input: it is checked and normalised here as Create does)
  /// when `author_id` wrote the video. Errors: PARAM_MISSING (nothing to change),
  /// TITLE_INVALID, DESCRIPTION_INVALID, TAGS_INVALID, VIDEO_NOT_FOUND, VIDEO_NOT_YOURS.
  Result<Video> Update(std::int64_t video_id, std::int64_t author_id, VideoEdit edit);

  /// Removes a video of `author_id`'s; its media object stays, since other videos may show
  /// the same bytes. Errors: VIDEO_NOT_FOUND, VIDEO_NOT_YOURS.
  Status Delete(std::int64_t video_id, std::int64_t author_id);

  std::vector<Video> Get(std::span<const std::int64_t> ids);  // in the order of ids
  /// author_id 0: every author. limit is clamped to 1..kMaxListLimit.
  VideoPage List(std::int64_t author_id, std::int64_t before_ms, int limit);
  /// The videos of any of `author_ids` (1..kMaxListAuthors of them), newest first; limit as
  /// for List. Errors: AUTHORS_INVALID.
  Result<VideoPage> ListByAuthors(std::span<const std::int64_t> author_ids, std::int64_t before_ms,
                                  int limit);
  std::unordered_map<std::int64_t, std::int64_t> CountWorks(
      std::span<const std::int64_t> author_ids);

 private:
  Result<MediaObject> Process(const std::string& upload_path, const std::string& sha256);
  /// The video as it will be stored, its text normalised; media_key still empty.
  Result<NewVideo> Draft(std::int64_t author_id, std::string_view title,
                         std::string_view description, std::span<const std::string> tags) const;
  void Report(events::v1::EventKind kind, const Video& video);

  VideoRepository& repository_;
  blob::BlobStore& blobs_;
  MediaSettings settings_;
  const Clock& clock_;
  events::EventSink& events_;
};

}  // namespace reel::video
