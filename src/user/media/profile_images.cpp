#include "user/media/profile_images.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <system_error>
#include <utility>

#include "kit/media/image_transcoder.hpp"

namespace reel::user {
namespace {

// Unique per process and call; the pid keeps processes sharing a data dir apart.
std::string ScratchName() {
  static std::atomic<std::uint64_t> counter{0};
  return "profile-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".jpg";
}

media::ImageFit FitOf(ProfileImageKind kind) {
  using Mode = media::ImageFit::Mode;
  return kind == ProfileImageKind::kAvatar ? media::ImageFit{Mode::kSquare, kAvatarSide}
                                           : media::ImageFit{Mode::kMaxWidth, kMaxBackgroundWidth};
}

// Holds one of the decode slots while it lives, also when decoding throws.
class DecodeSlot {
 public:
  explicit DecodeSlot(std::counting_semaphore<ProfileImages::kConcurrentDecodes>& slots)
      : slots_(slots) {
    slots_.acquire();
  }
  ~DecodeSlot() { slots_.release(); }
  DecodeSlot(const DecodeSlot&) = delete;
  DecodeSlot& operator=(const DecodeSlot&) = delete;

 private:
  std::counting_semaphore<ProfileImages::kConcurrentDecodes>& slots_;
};

Status Named(ProfileImageKind kind, Status status) {
  status.message = std::string(FieldOf(kind)) + ": " + status.message;
  return status;
}

}  // namespace

std::string_view FieldOf(ProfileImageKind kind) {
  return kind == ProfileImageKind::kAvatar ? "avatar" : "background_image";
}

PreparedImage::~PreparedImage() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove(path_, ignored);
}

PreparedImage::PreparedImage(PreparedImage&& other) noexcept
    : path_(std::exchange(other.path_, {})), key_(std::move(other.key_)) {}

PreparedImage& PreparedImage::operator=(PreparedImage&& other) noexcept {
  if (this != &other) {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove(path_, ignored);
    path_ = std::exchange(other.path_, {});
    key_ = std::move(other.key_);
  }
  return *this;
}

ProfileImages::ProfileImages(blob::BlobStore& blobs, std::string work_dir)
    : blobs_(blobs),
      work_dir_(work_dir.empty() ? std::filesystem::temp_directory_path().string()
                                 : std::move(work_dir)) {
  std::error_code ignored;  // a directory that cannot be made fails the first Prepare
  std::filesystem::create_directories(work_dir_, ignored);
}

Result<PreparedImage> ProfileImages::PrepareImage(ProfileImageKind kind,
                                                  const std::string& upload_path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(upload_path, ec);
  if (ec) return Internal("the upload was lost before it could be processed");
  // Checked before decoding: a big picture costs nothing to refuse.
  if (size > kMaxProfileImageBytes) {
    return Named(kind, PayloadTooLarge("IMAGE_TOO_LARGE",
                                       "the image is larger than the limit of " +
                                           std::to_string(kMaxProfileImageBytes >> 20) + " MiB"));
  }
  PreparedImage image((std::filesystem::path(work_dir_) / ScratchName()).string(), "");
  auto made = [&] {
    const DecodeSlot slot(decode_slots_);
    return media::TranscodeImage(upload_path, image.path(), FitOf(kind));
  }();
  if (!made.ok()) return Named(kind, made.status());
  auto sha256 = blob::Sha256OfFile(image.path());
  if (!sha256.ok()) return sha256.status();
  image.key_ = *sha256 + ".jpg";
  return image;
}

Status ProfileImages::Store(PreparedImage& image) {
  if (image.path_.empty()) return Internal("the prepared image was already stored");
  if (Status s = blobs_.PutFile(image.key_, image.path_); !s.ok()) return s;
  image.path_.clear();  // the store owns the file now
  return Status::Ok();
}

Result<std::unique_ptr<PreparedPicture>> ProfileImages::Prepare(ProfileImageKind kind,
                                                                const std::string& upload_path) {
  auto image = PrepareImage(kind, upload_path);
  if (!image.ok()) return image.status();
  return std::unique_ptr<PreparedPicture>(std::make_unique<PreparedImage>(std::move(*image)));
}

Status ProfileImages::Keep(PreparedPicture& picture) {
  auto* image = dynamic_cast<PreparedImage*>(&picture);
  if (!image) return Internal("a picture this store did not prepare");
  return Store(*image);
}

}  // namespace reel::user
