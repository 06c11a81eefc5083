#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kit/status/status.hpp"
#include "video/domain/video.hpp"

namespace reel::video {

/// Storage of media objects and videos. Implementations are thread-safe.
class VideoRepository {
 public:
  virtual ~VideoRepository() = default;

  virtual std::optional<MediaObject> FindMediaBySha(std::string_view sha256) = 0;
  virtual std::optional<MediaObject> FindMediaByKey(std::string_view key) = 0;
  /// Keeps `media`; a concurrent insert of the same sha256 wins and this one is dropped.
  virtual void InsertMedia(const MediaObject& media) = 0;

  /// Stores a video and returns it. Its created_at_ms is the requested time or, when that is
  /// not later than every stored video's, one millisecond after the latest: times are unique,
  /// so paging by time never repeats or skips. Errors: MEDIA_NOT_FOUND.
  virtual Result<Video> CreateVideo(const NewVideo& video) = 0;

  /// The videos that exist among `ids`, in no particular order.
  virtual std::vector<Video> FindByIds(std::span<const std::int64_t> ids) = 0;

  /// Newest first, created_at_ms < before_ms (0: no bound); author_id 0 means everyone.
  virtual std::vector<Video> List(std::int64_t author_id, std::int64_t before_ms, int limit) = 0;

  /// Newest first among the videos of `author_ids`, created_at_ms < before_ms (0: no
  /// bound). One query however many authors.
  virtual std::vector<Video> ListByAuthors(std::span<const std::int64_t> author_ids,
                                           std::int64_t before_ms, int limit) = 0;

  /// Applies `edit` to the video when `author_id` wrote it, and returns the result.
  /// Errors: VIDEO_NOT_FOUND, VIDEO_NOT_YOURS (PERMISSION_DENIED); both change nothing.
  virtual Result<Video> UpdateVideo(std::int64_t video_id, std::int64_t author_id,
                                    const VideoEdit& edit) = 0;

  /// Removes the video (and its tags) when `author_id` wrote it; its media object stays.
  /// Errors: VIDEO_NOT_FOUND, VIDEO_NOT_YOURS.
  virtual Status DeleteVideo(std::int64_t video_id, std::int64_t author_id) = 0;

  /// Number of videos per author; authors without videos are absent.
  virtual std::unordered_map<std::int64_t, std::int64_t> CountByAuthors(
      std::span<const std::int64_t> author_ids) = 0;
};

}  // namespace reel::video
