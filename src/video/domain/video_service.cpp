#include "video/domain/video_service.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>

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
                           MediaSettings settings, const Clock& clock, events::EventSink& events)
    : repository_(repository),
      blobs_(blobs),
      settings_(std::move(settings)),
      clock_(clock),
      events_(events) {}

void VideoService::Report(events::v1::EventKind kind, const Video& video) {
  events_.Publish(events::MakeEvent(kind, video.id, video.author_id, NowMs(clock_)));
}

Result<MediaObject> VideoService::Ingest(const std::string& upload_path,
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
  // The same bytes were ingested before: nothing to decode, cover or store again.
  if (auto known = repository_.FindMediaBySha(*sha256)) return std::move(*known);
  return Process(upload_path, *sha256);
}

Result<MediaObject> VideoService::Process(const std::string& upload_path,
                                          const std::string& sha256) {
  auto info = media::ProbeVideo(upload_path);
  if (!info.ok()) return info.status();

  MediaObject media;
  media.sha256 = sha256;
  media.key = sha256 + (info->is_mp4 ? ".mp4" : ".webm");
  media.cover_key = sha256 + ".jpg";
  media.width = info->width;
  media.height = info->height;
  media.duration_ms = info->duration_ms;
  media.codec = info->video_codec;
  media.created_at_ms = NowMs(clock_);

  ScratchFile cover(settings_.work_dir, ".jpg");
  if (auto made = media::ExtractCover(upload_path, cover.path()); !made.ok()) return made.status();

  // An MP4 with its index at the end cannot start playing until fully downloaded.
  ScratchFile progressive(settings_.work_dir, ".mp4");
  std::string playable = upload_path;
  if (info->is_mp4) {
    auto rewritten = media::MakeFaststart(upload_path, progressive.path());
    if (!rewritten.ok()) return rewritten.status();
    if (*rewritten) playable = progressive.path();
  }
  std::error_code ec;
  media.size_bytes = std::filesystem::file_size(playable, ec);

  // Cover first: a video row never points at a missing cover.
  if (Status s = blobs_.PutFile(media.cover_key, cover.path()); !s.ok()) return s;
  if (Status s = blobs_.PutFile(media.key, playable); !s.ok()) return s;
  repository_.InsertMedia(media);
  // A concurrent identical upload may have recorded it first; either row describes the same bytes.
  if (auto stored = repository_.FindMediaBySha(sha256)) return std::move(*stored);
  return media;
}

Result<NewVideo> VideoService::Draft(std::int64_t author_id, std::string_view title,
                                     std::string_view description,
                                     std::span<const std::string> tags) const {
  auto clean_title = NormalizeTitle(title);
  if (!clean_title.ok()) return clean_title.status();
  auto clean_description = NormalizeDescription(description);
  if (!clean_description.ok()) return clean_description.status();
  auto clean_tags = NormalizeTags(tags);
  if (!clean_tags.ok()) return clean_tags.status();
  return NewVideo{.author_id = author_id,
                  .title = std::move(*clean_title),
                  .description = std::move(*clean_description),
                  .created_at_ms = NowMs(clock_),
                  .tags = std::move(*clean_tags)};
}

Result<Video> VideoService::Publish(std::int64_t author_id, std::string_view title,
                                    std::string_view description, const std::string& upload_path,
                                    std::string_view sha256) {
  auto draft = Draft(author_id, title, description, {});
  if (!draft.ok()) return draft.status();
  auto media = Ingest(upload_path, sha256);
  if (!media.ok()) return media.status();
  draft->media_key = media->key;
  draft->created_at_ms = NowMs(clock_);  // after the ingest, which may take a while
  auto video = repository_.CreateVideo(*draft);
  if (video.ok()) Report(events::v1::VIDEO_PUBLISHED, *video);
  return video;
}

Result<Video> VideoService::Create(std::int64_t author_id, std::string_view title,
                                   std::string_view description, std::string_view media_key,
                                   std::span<const std::string> tags) {
  auto draft = Draft(author_id, title, description, tags);
  if (!draft.ok()) return draft.status();
  // Only well-formed keys are looked up, and a client's junk is not echoed back.
  if (!blob::IsValidKey(media_key)) {
    return NotFound("MEDIA_NOT_FOUND", "no uploaded media with that key");
  }
  draft->media_key = std::string(media_key);
  auto video = repository_.CreateVideo(*draft);
  if (video.ok()) Report(events::v1::VIDEO_PUBLISHED, *video);
  return video;
}

Result<Video> VideoService::Update(std::int64_t video_id, std::int64_t author_id, VideoEdit edit) {
  if (!edit.title && !edit.description && !edit.tags) {
    return InvalidArgument("PARAM_MISSING",
                           "nothing to change: give a title, a description or tags");
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
  if (video.ok()) Report(events::v1::VIDEO_UPDATED, *video);
  return video;
}

Status VideoService::Delete(std::int64_t video_id, std::int64_t author_id) {
  Status deleted = repository_.DeleteVideo(video_id, author_id);
  if (deleted.ok()) {
    events_.Publish(
        events::MakeEvent(events::v1::VIDEO_DELETED, video_id, author_id, NowMs(clock_)));
  }
  return deleted;
}

std::vector<Video> VideoService::Get(std::span<const std::int64_t> ids) {
  std::vector<Video> found = repository_.FindByIds(ids);
  std::unordered_map<std::int64_t, std::size_t> at;
  for (std::size_t i = 0; i < found.size(); ++i) at.emplace(found[i].id, i);
  std::vector<Video> ordered;
  ordered.reserve(ids.size());
  for (std::int64_t id : ids) {
    if (auto it = at.find(id); it != at.end()) ordered.push_back(found[it->second]);
  }
  return ordered;
}

VideoPage VideoService::List(std::int64_t author_id, std::int64_t before_ms, int limit) {
  return PageOf(repository_.List(author_id, before_ms, std::clamp(limit, 1, kMaxListLimit)));
}

Result<VideoPage> VideoService::ListByAuthors(std::span<const std::int64_t> author_ids,
                                              std::int64_t before_ms, int limit) {
  if (author_ids.empty() || author_ids.size() > kMaxListAuthors) {
    return InvalidArgument("AUTHORS_INVALID",
                           "name between 1 and " + std::to_string(kMaxListAuthors) + " authors");
  }
  return PageOf(
      repository_.ListByAuthors(author_ids, before_ms, std::clamp(limit, 1, kMaxListLimit)));
}

std::unordered_map<std::int64_t, std::int64_t> VideoService::CountWorks(
    std::span<const std::int64_t> author_ids) {
  if (author_ids.empty()) return {};
  return repository_.CountByAuthors(author_ids);
}

}  // namespace reel::video
