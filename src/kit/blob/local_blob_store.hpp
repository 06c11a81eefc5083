#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kit/blob/blob_store.hpp"
#include "kit/status/status.hpp"

namespace reel::blob {

/// Objects as files under `root`, fanned out by the key's first two hex digits
/// (root/ab/abcdef….mp4) so no directory grows past a few thousand entries.
///
/// Directories are created as needed (mode 0755), objects are stored with mode 0644 and
/// fsynced before they get their name, so a crash never leaves a short object under a key.
/// Symlinks are never followed, so a planted link cannot expose other files: a link at an
/// object path reads as an absent object and PutFile replaces it; a link in place of a fan-out
/// directory reads as absent objects and PutFile refuses (INTERNAL) to write through it.
/// Moves across filesystems copy into a temp file beside the object, then name it.
///
/// Thread-safe, and safe across processes sharing `root`: concurrent PutFile calls of one key
/// end with a single intact object.
class LocalBlobStore final : public BlobStore {
 public:
  explicit LocalBlobStore(std::string root);

  const std::string& root() const { return root_; }

  Status PutFile(std::string_view key, const std::string& source_path) override;
  bool Exists(std::string_view key) override;
  Result<std::uint64_t> Size(std::string_view key) override;
  Result<std::string> LocalPath(std::string_view key) override;
  Status Delete(std::string_view key) override;

 private:
  std::string DirectoryOf(std::string_view key) const;
  std::string PathOf(std::string_view key) const;

  std::string root_;
};

}  // namespace reel::blob
