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

}  // namespace

VideoService::VideoService(VideoRepository& repository, blob::BlobStore& blobs,
                           MediaSettings settings, const Clock& clock)
    : repository_(repository), blobs_(blobs), settings_(std::move(settings)), clock_(clock) {}

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
                                     std::string_view description) const {
  auto clean_title = NormalizeTitle(title);
  if (!clean_title.ok()) return clean_title.status();
  auto clean_description = NormalizeDescription(description);
  if (!clean_description.ok()) return clean_description.status();
  return NewVideo{
      author_id, std::move(*clean_title), std::move(*clean_description), {}, NowMs(clock_)};
}

Result<Video> VideoService::Publish(std::int64_t author_id, std::string_view title,
                                    std::string_view description, const std::string& upload_path,
                                    std::string_view sha256) {
  auto draft = Draft(author_id, title, description);
  if (!draft.ok()) return draft.status();
  auto media = Ingest(upload_path, sha256);
  if (!media.ok()) return media.status();
  draft->media_key = media->key;
  draft->created_at_ms = NowMs(clock_);  // after the ingest, which may take a while
  return repository_.CreateVideo(*draft);
}

Result<Video> VideoService::Create(std::int64_t author_id, std::string_view title,
                                   std::string_view description, std::string_view media_key) {
  auto draft = Draft(author_id, title, description);
  if (!draft.ok()) return draft.status();
  draft->media_key = std::string(media_key);
  return repository_.CreateVideo(*draft);
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
  VideoPage page;
  page.videos = repository_.List(author_id, before_ms, std::clamp(limit, 1, kMaxPageSize));
  if (!page.videos.empty()) page.next_before_ms = page.videos.back().created_at_ms;
  return page;
}

std::unordered_map<std::int64_t, std::int64_t> VideoService::CountWorks(
    std::span<const std::int64_t> author_ids) {
  if (author_ids.empty()) return {};
  return repository_.CountByAuthors(author_ids);
}

}  // namespace reel::video
