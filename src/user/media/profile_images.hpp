#pragma once

#include <cstdint>
#include <memory>
#include <semaphore>
#include <string>
#include <string_view>

#include "kit/blob/blob_store.hpp"
#include "kit/status/status.hpp"
#include "user/domain/profile_pictures.hpp"

namespace reel::user {

/// The largest picture a profile accepts, as uploaded (before re-encoding).
inline constexpr std::uint64_t kMaxProfileImageBytes = 5ull << 20;
/// Avatars are this square; backgrounds at most this wide.
inline constexpr int kAvatarSide = 256;
inline constexpr int kMaxBackgroundWidth = 1280;

// ProfileImageKind (user/domain/profile_pictures.hpp): an avatar is kAvatarSide square, a
// background at most kMaxBackgroundWidth wide.

/// A re-encoded picture waiting to be stored: a JPEG in the work dir, deleted with this
/// object unless ProfileImages::Store took it. Move-only.
class PreparedImage final : public PreparedPicture {
 public:
  PreparedImage(std::string path, std::string key) : path_(std::move(path)), key_(std::move(key)) {}
  ~PreparedImage() override;
  PreparedImage(PreparedImage&& other) noexcept;
  PreparedImage& operator=(PreparedImage&& other) noexcept;
  PreparedImage(const PreparedImage&) = delete;
  PreparedImage& operator=(const PreparedImage&) = delete;

  /// "<sha256 of the JPEG>.jpg": the key it is stored under.
  const std::string& key() const override { return key_; }
  const std::string& path() const { return path_; }

 private:
  friend class ProfileImages;
  std::string path_;  // empty once stored or moved from
  std::string key_;
};

/// Turns uploaded pictures into the JPEGs profiles show and keeps them in the media store
/// under their content key. Two steps, so a profile change can check every part before it
/// stores any: PrepareImage (check and re-encode) and Store. Thread-safe; at most
/// kConcurrentDecodes pictures are decoded at once (each may take a few hundred MB), the
/// other callers wait.
class ProfileImages final : public ProfilePictures {
 public:
  static constexpr int kConcurrentDecodes = 2;

  /// `work_dir` holds pictures between the steps; on the media store's disk, storing one is
  /// a rename. Created when missing.
  ProfileImages(blob::BlobStore& blobs, std::string work_dir);

  /// Checks and re-encodes the upload at `upload_path` (left in place) per `kind`. Messages
  /// name the form field. Errors: IMAGE_TOO_LARGE (PAYLOAD_TOO_LARGE) above
  /// kMaxProfileImageBytes; IMAGE_INVALID (INVALID_ARGUMENT) when it is not a JPEG, PNG or
  /// WebP picture that decodes; INTERNAL.
  Result<PreparedImage> PrepareImage(ProfileImageKind kind, const std::string& upload_path);

  /// Moves a prepared picture into the media store (identical bytes stored once).
  /// Errors: INTERNAL.
  Status Store(PreparedImage& image);

  /// ProfilePictures: PrepareImage and Store behind the domain's port. Keep refuses (INTERNAL) a
  /// picture another object prepared.
  Result<std::unique_ptr<PreparedPicture>> Prepare(ProfileImageKind kind,
                                                   const std::string& upload_path) override;
  Status Keep(PreparedPicture& picture) override;

 private:
  blob::BlobStore& blobs_;
  std::string work_dir_;
  std::counting_semaphore<kConcurrentDecodes> decode_slots_{kConcurrentDecodes};
};

/// The form field a kind is uploaded as ("avatar", "background_image").
std::string_view FieldOf(ProfileImageKind kind);

}  // namespace reel::user
