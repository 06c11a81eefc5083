#pragma once

#include <memory>

#include "kit/cache/invalidating_cache.hpp"
#include "video/domain/video_repository.hpp"

namespace reel::video {

/// VideoRepository that keeps in memory what every page reads, in front of the repository
/// that stores it: videos by id, each author's work counts, and the newest videos visible
/// to everyone overall and per author (the first pages of the latest feed and of publish
/// lists as others see them; an author's own list, lists leaving authors out and the review
/// queue are read through). A change of visibility or audit status invalidates as an edit. Every
/// write goes through here and invalidates, after its commit, what it changed: a publish, edit or
/// delete invalidates the video, the overall newest list and its author's newest list and work
/// count. Correct while this process is the store's only writer, which it is for the embedded store
/// and the one video process of a cluster. Media objects, uploads, deeper pages and the following
/// feed's query are read through uncached.
class CachedVideoRepository final : public VideoRepository {
 public:
  /// How many of the newest videos a cached list holds: first pages up to this size are
  /// served from memory, larger ones and deeper pages from the store.
  static constexpr int kNewestDepth = 64;

  /// `capacity`: videos and work counts cached; a hundredth of it (at least 16) newest
  /// lists, since each holds up to kNewestDepth videos (at the default, 1,000 lists of about
  /// 20 KB).
  /// `writes`, when given, advances with every invalidation (see cache::ChangeEpoch).
  /// `shared`, when given, shares videos and work counts with the deployment's other
  /// processes, and every invalidation (newest lists stay in each process's memory).
  CachedVideoRepository(VideoRepository& store, std::size_t capacity,
                        cache::ChangeEpoch* writes = nullptr, cache::SharedTier* shared = nullptr)
      : store_(store),
        videos_(capacity, writes, VideosShared(shared)),
        work_counts_(capacity, writes, WorkCountsShared(shared)),
        newest_(std::max<std::size_t>(16, capacity / 100), writes,
                cache::IdKeyed<NewestPtr>(shared, "video.newest")) {}

  std::optional<MediaObject> FindMediaBySha(std::string_view sha256) override {
    return store_.FindMediaBySha(sha256);
  }
  std::optional<MediaObject> FindMediaByKey(std::string_view key) override {
    return store_.FindMediaByKey(key);
  }
  // Uploads and media objects are read and written through: no cached value holds them.
  Result<MediaObject> RecordUpload(const MediaUpload& upload, const MediaObject* first,
                                   const UploadLimits& limits) override {
    return store_.RecordUpload(upload, first, limits);
  }
  MediaUsage UsageOf(std::int64_t user_id, std::string_view sha256,
                     std::int64_t pending_cutoff_ms) override {
    return store_.UsageOf(user_id, sha256, pending_cutoff_ms);
  }
  ExpiredUploads ExpireUploads(std::int64_t pending_cutoff_ms, int limit) override {
    return store_.ExpireUploads(pending_cutoff_ms, limit);
  }
  void RecordFailedDeletion(const BlobDeletion& deletion) override {
    store_.RecordFailedDeletion(deletion);
  }
  std::vector<BlobDeletion> FailedDeletions(int limit) override {
    return store_.FailedDeletions(limit);
  }
  void DropFailedDeletion(std::string_view media_key) override {
    store_.DropFailedDeletion(media_key);
  }
  Result<Video> CreateVideo(const NewVideo& video, std::int64_t pending_cutoff_ms) override;
  std::vector<Video> FindByIds(std::span<const std::int64_t> ids) override;
  std::vector<Video> List(const VideoQuery& query) override;
  std::vector<Video> ListByAuthors(std::span<const std::int64_t> author_ids, std::int64_t before_ms,
                                   int limit,
                                   std::span<const std::int64_t> exclude_author_ids) override {
    return store_.ListByAuthors(author_ids, before_ms, limit, exclude_author_ids);
  }
  std::vector<Video> ListByAuditStatus(AuditStatus status, std::int64_t after_id,
                                       int limit) override {
    return store_.ListByAuditStatus(status, after_id, limit);
  }
  Result<Video> SetAuditStatus(std::int64_t video_id, AuditStatus status,
                               std::string_view reason) override;
  Result<Video> UpdateVideo(std::int64_t video_id, std::int64_t author_id,
                            const VideoEdit& edit) override;
  Result<std::vector<MediaObject>> DeleteVideo(std::int64_t video_id, std::int64_t author_id,
                                               std::int64_t pending_cutoff_ms) override;
  std::unordered_map<std::int64_t, WorkCount> CountByAuthors(
      std::span<const std::int64_t> author_ids) override;

 private:
  /// The newest kNewestDepth videos of an author (0: everyone), newest first; `complete`
  /// when that is all of them.
  struct Newest {
    std::vector<Video> videos;
    bool complete = false;
  };
  using NewestPtr = std::shared_ptr<const Newest>;

  void Changed(std::int64_t video_id, std::int64_t author_id);
  static cache::SharedBinding<std::int64_t, Video> VideosShared(cache::SharedTier* tier);
  static cache::SharedBinding<std::int64_t, WorkCount> WorkCountsShared(cache::SharedTier* tier);

  VideoRepository& store_;
  cache::InvalidatingCache<std::int64_t, Video> videos_;
  cache::InvalidatingCache<std::int64_t, WorkCount> work_counts_;
  cache::InvalidatingCache<std::int64_t, NewestPtr> newest_;  // by author; 0: everyone
};

}  // namespace reel::video
