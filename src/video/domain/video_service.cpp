#include "video/domain/video_service.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <random>

#include "kit/log/log.hpp"
#include "kit/metrics/metrics.hpp"
#include "kit/text/utf8.hpp"
#include "video/domain/publish_policy.hpp"
#include "video/media/cover_extractor.hpp"
#include "video/media/faststart.hpp"
#include "video/media/media_probe.hpp"

namespace reel::video {
namespace {

// A scratch file that is removed when it goes out of scope, whatever happens.
class ScratchFile {
 public:
  ScratchFile(const std::string& dir, std::string_view suffix) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    path_ = dir + "/reel-work-" + std::to_string(rng()) + std::string(suffix);
  }
  ~ScratchFile() { ::unlink(path_.c_str()); }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

std::string MiB(std::uint64_t bytes) {
  return std::to_string(bytes >> 20) + " MiB";
}

VideoPage PageOf(std::vector<Video> videos) {
  VideoPage page;
  page.videos = std::move(videos);
  if (!page.videos.empty()) page.next_before_ms = page.videos.back().created_at_ms;
  return page;
}

}  // namespace

VideoService::VideoService(VideoRepository& repository, blob::BlobStore& blobs,
                           MediaSettings settings, const Clock& clock,
                           const events::CommitHook& committed)
    : repository_(repository),
      blobs_(blobs),
      settings_(std::move(settings)),
      clock_(clock),
      committed_(committed) {}

std::mutex& VideoService::MediaLock(std::string_view sha256) {
  return media_locks_[std::hash<std::string_view>{}(sha256) % kMediaLockStripes];
}

UploadLimits VideoService::Limits(bool limit_pending) const {
  return UploadLimits{.now_ms = NowMs(clock_),
                      .pending_ttl = settings_.pending_upload_ttl,
                      .max_pending = limit_pending ? settings_.max_pending_uploads : 0,
                      .max_bytes = settings_.max_bytes_per_user};
}

// A decoded upload, ready to store: its scratch files go when it does.
struct VideoService::Prepared {
  explicit Prepared(const std::string& work_dir)
      : cover(work_dir, ".jpg"), progressive(work_dir, ".mp4") {}
  MediaObject media;
  ScratchFile cover;
  ScratchFile progressive;  // an MP4 rewritten with its index first, when that was needed
  std::string playable;     // the file to store: the upload itself or `progressive`
};

Result<MediaObject> VideoService::Ingest(std::int64_t uploader, const std::string& upload_path,
                                         std::string_view sha256) {
  const UploadLimits limits = Limits(/*limit_pending=*/true);
  return IngestWithin(limits, uploader, upload_path, sha256);
}

Result<MediaObject> VideoService::IngestWithin(const UploadLimits& limits, std::int64_t uploader,
                                               const std::string& upload_path,
                                               std::string_view known_sha256) {
  static auto& uploads = metrics::Counter("reel_uploads_total", "Uploads stored or recorded.");
  static auto& bytes = metrics::Counter("reel_upload_bytes_total", "Bytes of accepted uploads.");
  static auto& refused = metrics::CounterFamily(
      "reel_upload_refused_total", "Uploads refused, by the reason the client was given.");
  std::error_code ec;
  const auto size = std::filesystem::file_size(upload_path, ec);  // before it is moved
  auto ingested = IngestUncounted(limits, uploader, upload_path, known_sha256);
  if (ingested.ok()) {
    uploads.Increment();
    if (!ec) bytes.Increment(static_cast<double>(size));
  } else if (ingested.status().code != Code::kInternal &&
             ingested.status().code != Code::kUnavailable) {
    // The reasons are the service's own error codes, a fixed set ("MEDIA_TOO_LARGE").
    refused.Add({{"reason", ingested.status().reason}}).Increment();
  }
  return ingested;
}

Result<MediaObject> VideoService::IngestUncounted(const UploadLimits& limits, std::int64_t uploader,
                                                  const std::string& upload_path,
                                                  std::string_view known_sha256) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(upload_path, ec);
  if (ec) return Internal("the upload was lost before it could be processed");
  if (size > settings_.max_upload_bytes) {
    return PayloadTooLarge("MEDIA_TOO_LARGE", "the video is larger than the limit of " +
                                                  MiB(settings_.max_upload_bytes));
  }
  auto sha256 = known_sha256.empty() ? blob::Sha256OfFile(upload_path)
                                     : Result<std::string>(std::string(known_sha256));
  if (!sha256.ok()) return sha256.status();
  const MediaUpload upload{uploader, *sha256, limits.now_ms};

  // Decoding happens outside the object's lock (it can take seconds); storing and recording
  // happen under it. Each round either finishes or learns that the object appeared or went
  // meanwhile; two rounds suffice unless identical uploads and removals keep crossing.
  std::optional<Prepared> prepared;
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    {
      std::lock_guard lock(MediaLock(*sha256));
      if (repository_.FindMediaBySha(*sha256)) {
        // Bytes seen before: nothing to decode or store, only the upload to record.
        auto recorded = repository_.RecordUpload(upload, nullptr, limits);
        if (recorded.ok() || recorded.status().reason != "MEDIA_NOT_FOUND") return recorded;
        // Its last reference went just now: store it anew.
      } else if (prepared) {
        return Store(*prepared, upload, limits);
      }
    }
    if (!prepared) {
      // Refuse before the decode when the quota is already short; the count that decides is
      // the one in the transaction that records the upload.
      const MediaUsage usage = repository_.UsageOf(uploader, *sha256, limits.PendingCutoffMs());
      if (Status s = CheckUploadQuota(usage, size, limits); !s.ok()) return s;
      prepared.emplace(settings_.work_dir);
      if (Status s = Prepare(upload_path, *sha256, *prepared); !s.ok()) return s;
    }
  }
  return Unavailable("MEDIA_BUSY", "the same file was being stored and removed; send it again");
}

Status VideoService::Prepare(const std::string& upload_path, const std::string& sha256,
                             Prepared& out) {
  static auto& probe_seconds = metrics::HistogramFamily("reel_media_probe_duration_seconds",
                                                        "Time to probe and decode an upload.");
  const auto started = std::chrono::steady_clock::now();
  auto info = media::ProbeVideo(upload_path);
  probe_seconds.Add({}, metrics::LatencyBuckets())
      .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (!info.ok()) return info.status();

  MediaObject& media = out.media;
  media.sha256 = sha256;
  media.key = sha256 + (info->is_mp4 ? ".mp4" : ".webm");
  media.cover_key = sha256 + ".jpg";
  media.width = info->width;
  media.height = info->height;
  media.duration_ms = info->duration_ms;
  media.codec = info->video_codec;
  media.created_at_ms = NowMs(clock_);

  if (auto made = media::ExtractCover(upload_path, out.cover.path()); !made.ok()) {
    return made.status();
  }
  // An MP4 with its index at the end cannot start playing until fully downloaded.
  out.playable = upload_path;
  if (info->is_mp4) {
    auto rewritten = media::MakeFaststart(upload_path, out.progressive.path());
    if (!rewritten.ok()) return rewritten.status();
    if (*rewritten) out.playable = out.progressive.path();
  }
  std::error_code ec;
  media.size_bytes = std::filesystem::file_size(out.playable, ec);
  return Status::Ok();
}

Result<MediaObject> VideoService::Store(Prepared& prepared, const MediaUpload& upload,
                                        const UploadLimits& limits) {
  const MediaObject& media = prepared.media;
  // Cover first: a video row never points at a missing cover.
  if (Status s = blobs_.PutFile(media.cover_key, prepared.cover.path()); !s.ok()) return s;
  if (Status s = blobs_.PutFile(media.key, prepared.playable); !s.ok()) {
    DeleteFiles(media);  // no row names the object, and its lock is held
    return s;
  }
  auto recorded = repository_.RecordUpload(upload, &media, limits);
  // Refused (the quota, counted again in the transaction): the files just stored are no
  // row's, and nobody else can store them while the lock is held.
  if (!recorded.ok()) DeleteFiles(media);
  return recorded;
}

void VideoService::DeleteFiles(const MediaObject& media) {
  // The playable file first: the cover is stored first, so it is also the last to go.
  for (const std::string* key : {&media.key, &media.cover_key}) {
    Status s = blobs_.Delete(*key);
    if (s.ok()) continue;
    // No row names the file any more, so only this record lets a later sweep find it.
    try {
      repository_.RecordFailedDeletion(
          {.media_key = *key, .sha256 = media.sha256, .failed_at_ms = NowMs(clock_)});
      log::Warn("media file not deleted; the media sweep retries",
                {{"key", *key}, {"error", s.message}});
    } catch (const StatusError& e) {
      // The database is away too. Failing the caller would not bring the file back.
      log::Error(
          "media file left behind",
          {{"key", *key}, {"error", s.message}, {"record_error", std::string_view(e.what())}});
    }
  }
}

void VideoService::RetryFailedDeletions(SweepReport& report) {
  constexpr int kBatch = 256;
  constexpr int kMaxBatches = 40;
  std::string first_error;
  for (int batch = 0; batch < kMaxBatches && first_error.empty(); ++batch) {
    const std::vector<BlobDeletion> pending = repository_.FailedDeletions(kBatch);
    for (const BlobDeletion& deletion : pending) {
      std::lock_guard lock(MediaLock(deletion.sha256));
      // An identical upload stored the object again since: the file is its row's now.
      if (repository_.FindMediaBySha(deletion.sha256)) {
        repository_.DropFailedDeletion(deletion.media_key);
        ++report.files_reclaimed;
        continue;
      }
      if (Status s = blobs_.Delete(deletion.media_key); !s.ok()) {
        // The store is most likely still away: each further try would wait out its timeout
        // too. This entry goes to the back, the rest wait for the next sweep.
        repository_.RecordFailedDeletion({.media_key = deletion.media_key,
                                          .sha256 = deletion.sha256,
                                          .failed_at_ms = NowMs(clock_)});
        ++report.files_still_failing;
        first_error = s.message;
        break;
      }
      repository_.DropFailedDeletion(deletion.media_key);
      ++report.files_deleted;
    }
    if (pending.size() < static_cast<std::size_t>(kBatch)) break;
  }
  // One line per sweep, however many files wait.
  if (!first_error.empty()) {
    log::Warn(
        "media files still not deleted; retried at the next sweep",
        {{"error", first_error}, {"deleted", static_cast<std::int64_t>(report.files_deleted)}});
  } else if (report.files_deleted > 0) {
    log::Info("media files left by failed deletions removed",
              {{"files", static_cast<std::int64_t>(report.files_deleted)}});
  }
}

void VideoService::RemoveFiles(const std::vector<MediaObject>& removed) {
  for (const MediaObject& media : removed) {
    std::lock_guard lock(MediaLock(media.sha256));
    // The transaction that removed the row has committed; if a row names the object again,
    // an identical upload stored it since, and the files are that row's.
    if (repository_.FindMediaBySha(media.sha256)) continue;
    DeleteFiles(media);
  }
}

SweepReport VideoService::ExpireUploads() {
  // Bounded batches: one transaction never holds the writer long, one call never loops
  // for ever.
  constexpr int kBatch = 256;
  constexpr int kMaxBatches = 400;
  const std::int64_t cutoff = Limits(false).PendingCutoffMs();
  SweepReport report;
  // Before the expiry: a deletion that fails in this sweep is not tried twice in it.
  RetryFailedDeletions(report);
  for (int batch = 0; batch < kMaxBatches; ++batch) {
    const ExpiredUploads expired = repository_.ExpireUploads(cutoff, kBatch);
    report.uploads += expired.uploads;
    report.objects += expired.removed.size();
    RemoveFiles(expired.removed);
    if (expired.uploads < static_cast<std::size_t>(kBatch)) break;
  }
  return report;
}

Result<NewVideo> VideoService::Draft(std::int64_t author_id, std::string_view title,
                                     std::string_view description,
                                     std::span<const std::string> tags,
                                     const PublishOptions& options) const {
  auto clean_title = NormalizeTitle(title);
  if (!clean_title.ok()) return clean_title.status();
  auto clean_description = NormalizeDescription(description);
  if (!clean_description.ok()) return clean_description.status();
  auto clean_tags = NormalizeTags(tags);
  if (!clean_tags.ok()) return clean_tags.status();
  const bool is_original = options.is_original.value_or(true);
  std::string source_url;
  if (!options.source_url.empty()) {
    auto url = NormalizeSourceUrl(options.source_url);
    if (!url.ok()) return url.status();
    source_url = std::move(*url);
  }
  if (Status s = CheckProvenance(is_original, source_url); !s.ok()) return s;
  return NewVideo{
      .author_id = author_id,
      .title = std::move(*clean_title),
      .description = std::move(*clean_description),
      .created_at_ms = NowMs(clock_),
      .tags = std::move(*clean_tags),
      .is_public = options.is_public.value_or(true),
      .audit_status = settings_.pre_moderation ? AuditStatus::kPending : AuditStatus::kApproved,
      .is_original = is_original,
      .source_url = std::move(source_url)};
}

Result<Video> VideoService::Publish(std::int64_t author_id, std::string_view title,
                                    std::string_view description, const std::string& upload_path,
                                    std::string_view sha256, const PublishOptions& options) {
  auto draft = Draft(author_id, title, description, {}, options);
  if (!draft.ok()) return draft.status();
  auto media = IngestWithin(Limits(/*limit_pending=*/false), author_id, upload_path, sha256);
  if (!media.ok()) return media.status();
  draft->media_key = media->key;
  draft->created_at_ms = NowMs(clock_);  // after the ingest, which may take a while
  auto video = repository_.CreateVideo(*draft, Limits(false).PendingCutoffMs());
  if (video.ok()) committed_.Committed();
  return video;
}

Result<Video> VideoService::Create(std::int64_t author_id, std::string_view title,
                                   std::string_view description, std::string_view media_key,
                                   std::span<const std::string> tags,
                                   const PublishOptions& options) {
  auto draft = Draft(author_id, title, description, tags, options);
  if (!draft.ok()) return draft.status();
  // Only well-formed keys are looked up, and a client's junk is not echoed back.
  if (!blob::IsValidKey(media_key)) {
    return NotFound("MEDIA_NOT_FOUND", "no uploaded media with that key");
  }
  draft->media_key = std::string(media_key);
  auto video = repository_.CreateVideo(*draft, Limits(false).PendingCutoffMs());
  if (video.ok()) committed_.Committed();
  return video;
}

Result<Video> VideoService::Update(std::int64_t video_id, std::int64_t author_id, VideoEdit edit) {
  if (!edit.title && !edit.description && !edit.tags && !edit.is_public && !edit.is_original &&
      !edit.source_url) {
    return InvalidArgument("PARAM_MISSING",
                           "nothing to change: give a title, a description, tags, is_public, "
                           "is_original or source_url");
  }
  if (edit.source_url && !edit.source_url->empty()) {
    auto url = NormalizeSourceUrl(*edit.source_url);
    if (!url.ok()) return url.status();
    edit.source_url = std::move(*url);
  }
  if (edit.title) {
    auto title = NormalizeTitle(*edit.title);
    if (!title.ok()) return title.status();
    edit.title = std::move(*title);
  }
  if (edit.description) {
    auto description = NormalizeDescription(*edit.description);
    if (!description.ok()) return description.status();
    edit.description = std::move(*description);
  }
  if (edit.tags) {
    auto tags = NormalizeTags(*edit.tags);
    if (!tags.ok()) return tags.status();
    edit.tags = std::move(*tags);
  }
  auto video = repository_.UpdateVideo(video_id, author_id, edit);
  if (video.ok()) committed_.Committed();
  return video;
}

Status VideoService::Delete(std::int64_t video_id, std::int64_t author_id) {
  auto removed = repository_.DeleteVideo(video_id, author_id, Limits(false).PendingCutoffMs());
  if (!removed.ok()) return removed.status();
  // Before answering: once the delete is done, the media it alone used is gone too.
  RemoveFiles(*removed);
  committed_.Committed();
  return Status::Ok();
}

std::vector<Video> VideoService::Get(std::span<const std::int64_t> ids, std::int64_t viewer_id,
                                     bool all_states) {
  std::vector<Video> found = repository_.FindByIds(ids);
  std::unordered_map<std::int64_t, std::size_t> at;
  for (std::size_t i = 0; i < found.size(); ++i) at.emplace(found[i].id, i);
  std::vector<Video> ordered;
  ordered.reserve(ids.size());
  for (std::int64_t id : ids) {
    auto it = at.find(id);
    if (it == at.end()) continue;
    // Filtered here, after the cache by id: one cached video serves every viewer.
    if (!all_states && !found[it->second].VisibleTo(viewer_id)) continue;
    ordered.push_back(found[it->second]);
  }
  return ordered;
}

Result<VideoPage> VideoService::List(std::int64_t author_id, std::int64_t before_ms, int limit,
                                     std::int64_t viewer_id,
                                     std::span<const std::int64_t> exclude_author_ids) {
  if (exclude_author_ids.size() > kMaxListAuthors) {
    return InvalidArgument("AUTHORS_INVALID",
                           "leave out at most " + std::to_string(kMaxListAuthors) + " authors");
  }
  VideoQuery query{.author_id = author_id,
                   .before_ms = before_ms,
                   .limit = std::clamp(limit, 1, kMaxListLimit),
                   .visible_only = !(author_id > 0 && author_id == viewer_id),
                   .exclude_author_ids = {exclude_author_ids.begin(), exclude_author_ids.end()}};
  return PageOf(repository_.List(query));
}

Result<VideoPage> VideoService::ListByAuthors(std::span<const std::int64_t> author_ids,
                                              std::int64_t before_ms, int limit,
                                              std::span<const std::int64_t> exclude_author_ids) {
  if (author_ids.empty() || author_ids.size() > kMaxListAuthors ||
      exclude_author_ids.size() > kMaxListAuthors) {
    return InvalidArgument("AUTHORS_INVALID", "name between 1 and " +
                                                  std::to_string(kMaxListAuthors) +
                                                  " authors, and leave out at most as many");
  }
  return PageOf(repository_.ListByAuthors(author_ids, before_ms,
                                          std::clamp(limit, 1, kMaxListLimit), exclude_author_ids));
}

std::unordered_map<std::int64_t, std::int64_t> VideoService::CountWorks(
    std::span<const std::int64_t> author_ids, std::int64_t viewer_id) {
  std::unordered_map<std::int64_t, std::int64_t> out;
  if (author_ids.empty()) return out;
  for (const auto& [author, count] : repository_.CountByAuthors(author_ids)) {
    const std::int64_t shown = author == viewer_id && viewer_id != 0 ? count.all : count.visible;
    if (shown > 0) out.emplace(author, shown);
  }
  return out;
}

ReviewPage VideoService::ListForReview(AuditStatus status, std::int64_t cursor, int limit) {
  const int page_size = std::clamp(limit, 1, kMaxPageSize);
  // One more than the page: whether another follows.
  std::vector<Video> videos =
      repository_.ListByAuditStatus(status, std::max<std::int64_t>(cursor, 0), page_size + 1);
  ReviewPage page;
  if (videos.size() > static_cast<std::size_t>(page_size)) {
    videos.resize(static_cast<std::size_t>(page_size));
    page.next_cursor = videos.back().id;
  }
  page.videos = std::move(videos);
  return page;
}

Result<Video> VideoService::SetAuditStatus(std::int64_t video_id, AuditStatus status,
                                           std::string_view reason) {
  std::string stored;
  if (status == AuditStatus::kRejected || !text::TrimAscii(reason).empty()) {
    auto clean = NormalizeAuditReason(reason);
    if (!clean.ok()) {
      if (status == AuditStatus::kRejected && text::TrimAscii(reason).empty()) {
        return InvalidArgument("REASON_INVALID", "rejecting a video needs a reason (1-" +
                                                     std::to_string(kMaxAuditReasonLength) +
                                                     " characters)");
      }
      return clean.status();
    }
    stored = std::move(*clean);
  }
  if (status == AuditStatus::kApproved) stored.clear();  // an approved video has no reason
  auto video = repository_.SetAuditStatus(video_id, status, stored);
  if (video.ok()) committed_.Committed();
  return video;
}

}  // namespace reel::video
