#pragma once

#include <string>

#include "kit/db/sqlite.hpp"
#include "video/domain/video_repository.hpp"

namespace reel::video {

/// VideoRepository on SQLite (tables of video_migrations.cpp).
class SqliteVideoRepository final : public VideoRepository {
 public:
  explicit SqliteVideoRepository(db::SqliteDb& db) : db_(db) {}

  std::optional<MediaObject> FindMediaBySha(std::string_view sha256) override;
  std::optional<MediaObject> FindMediaByKey(std::string_view key) override;
  Result<MediaObject> RecordUpload(const MediaUpload& upload, const MediaObject* first,
                                   const UploadLimits& limits) override;
  MediaUsage UsageOf(std::int64_t user_id, std::string_view sha256,
                     std::int64_t pending_cutoff_ms) override;
  Result<Video> CreateVideo(const NewVideo& video, std::int64_t pending_cutoff_ms) override;
  std::vector<Video> FindByIds(std::span<const std::int64_t> ids) override;
  std::vector<Video> List(std::int64_t author_id, std::int64_t before_ms, int limit) override;
  std::vector<Video> ListByAuthors(std::span<const std::int64_t> author_ids, std::int64_t before_ms,
                                   int limit) override;
  Result<Video> UpdateVideo(std::int64_t video_id, std::int64_t author_id,
                            const VideoEdit& edit) override;
  Result<std::vector<MediaObject>> DeleteVideo(std::int64_t video_id, std::int64_t author_id,
                                               std::int64_t pending_cutoff_ms) override;
  ExpiredUploads ExpireUploads(std::int64_t pending_cutoff_ms, int limit) override;
  std::unordered_map<std::int64_t, std::int64_t> CountByAuthors(
      std::span<const std::int64_t> author_ids) override;

  /// The statement behind ListByAuthors (parameters: JSON array of author ids, before_ms,
  /// limit), so tests can check its query plan.
  static std::string ListByAuthorsSql();

 private:
  db::SqliteDb& db_;
};

}  // namespace reel::video
