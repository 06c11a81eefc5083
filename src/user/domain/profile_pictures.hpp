#pragma once

#include <memory>
#include <string>

#include "kit/status/status.hpp"

namespace reel::user {

/// The two pictures of a profile.
enum class ProfileImageKind {
  kAvatar,      ///< form field "avatar": a centred square
  kBackground,  ///< form field "background_image": limited in width
};

/// A picture of a profile change as the client sent it: a file the HTTP layer spooled.
struct PictureUpload {
  ProfileImageKind kind = ProfileImageKind::kAvatar;
  std::string path;
};

/// A picture checked and re-encoded, waiting to be kept. Dropped (nothing stored) when it
/// is destroyed without ProfilePictures::Keep.
class PreparedPicture {
 public:
  virtual ~PreparedPicture() = default;
  /// The media key it is (or will be) stored under.
  virtual const std::string& key() const = 0;
};

/// Where profile pictures are checked and kept: a port the service's module implements
/// (user/media's ProfileImages over the media store), so the domain decodes nothing itself.
/// Two steps, so a profile change can check every part before it keeps any.
/// Implementations are thread-safe.
class ProfilePictures {
 public:
  virtual ~ProfilePictures() = default;
  /// Checks and re-encodes the upload at `upload_path` (left in place) as `kind`.
  /// Errors: IMAGE_TOO_LARGE (PAYLOAD_TOO_LARGE), IMAGE_INVALID (INVALID_ARGUMENT), INTERNAL;
  /// messages name the form field.
  virtual Result<std::unique_ptr<PreparedPicture>> Prepare(ProfileImageKind kind,
                                                           const std::string& upload_path) = 0;
  /// Stores a picture this object prepared (identical bytes stored once). Errors: INTERNAL.
  virtual Status Keep(PreparedPicture& picture) = 0;
};

}  // namespace reel::user
