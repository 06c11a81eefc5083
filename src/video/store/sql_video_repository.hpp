#pragma once

#include <string>

#include "kit/db/database.hpp"
#include "kit/events/outbox.hpp"
#include "video/domain/video_repository.hpp"

namespace reel::video {

/// VideoRepository over kit/db (tables of video_migrations.cpp): the same statements run on
/// SQLite and MariaDB. Thread-safe (the Database is). Each write decides on what it read
/// only after locking a row every competing write locks too (the video, its media object,
/// the uploader, publish_lock), so the decisions hold under MariaDB's READ COMMITTED with
/// writers in several processes; author_video_counts moves in the transaction of the
/// change it counts. With an outbox, publishing records VIDEO_PUBLISHED, edits and audit
/// decisions VIDEO_UPDATED and a delete VIDEO_DELETED, each in its own transaction.
class SqlVideoRepository final : public VideoRepository {
 public:
  explicit SqlVideoRepository(db::Database& db, const events::Outbox* outbox = nullptr)
      : db_(db), outbox_(outbox) {}

  std::optional<MediaObject> FindMediaBySha(std::string_view sha256) override;
  std::optional<MediaObject> FindMediaByKey(std::string_view key) override;
  Result<MediaObject> RecordUpload(const MediaUpload& upload, const MediaObject* first,
                                   const UploadLimits& limits) override;
  MediaUsage UsageOf(std::int64_t user_id, std::string_view sha256,
                     std::int64_t pending_cutoff_ms) override;
  Result<Video> CreateVideo(const NewVideo& video, std::int64_t pending_cutoff_ms) override;
  std::vector<Video> FindByIds(std::span<const std::int64_t> ids) override;
  std::vector<Video> List(const VideoQuery& query) override;
  std::vector<Video> ListByAuthors(std::span<const std::int64_t> author_ids, std::int64_t before_ms,
                                   int limit,
                                   std::span<const std::int64_t> exclude_author_ids) override;
  Result<Video> UpdateVideo(std::int64_t video_id, std::int64_t author_id,
                            const VideoEdit& edit) override;
  Result<std::vector<MediaObject>> DeleteVideo(std::int64_t video_id, std::int64_t author_id,
                                               std::int64_t pending_cutoff_ms) override;
  ExpiredUploads ExpireUploads(std::int64_t pending_cutoff_ms, int limit) override;
  void RecordFailedDeletion(const BlobDeletion& deletion) override;
  std::vector<BlobDeletion> FailedDeletions(int limit) override;
  void DropFailedDeletion(std::string_view media_key) override;
  std::unordered_map<std::int64_t, WorkCount> CountByAuthors(
      std::span<const std::int64_t> author_ids) override;
  std::vector<Video> ListByAuditStatus(AuditStatus status, std::int64_t after_id,
                                       int limit) override;
  Result<Video> SetAuditStatus(std::int64_t video_id, AuditStatus status,
                               std::string_view reason) override;

  /// The statement behind ListByAuthors for `authors` ids (parameters: the ids padded to
  /// InListSize(authors), before_ms, limit), so tests can check its query plan.
  static std::string ListByAuthorsSql(std::size_t authors);
  /// The statement behind List for `query` (parameters as List binds them), for query plans.
  static std::string ListSql(const VideoQuery& query);
  /// How many placeholders an id list of `n` gets: a power of two from 8 up, so the
  /// statements' texts (and prepared statements per connection) stay few; the extra ones
  /// repeat the last id.
  static std::size_t InListSize(std::size_t n);

 private:
  db::Database& db_;
  const events::Outbox* outbox_;
};

}  // namespace reel::video
