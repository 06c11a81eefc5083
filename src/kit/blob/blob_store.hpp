#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kit/status/status.hpp"

namespace reel::blob {

/// Immutable objects are addressed by key: "<64 lowercase hex sha256>.<ext>", where ext is
/// 1–5 lowercase ASCII letters or digits (mp4, webm, jpg). Checking exactly that shape means
/// a valid key can never hold '/', "..", '%', NUL or anything else a path could trip on.
bool IsValidKey(std::string_view key);

/// The SHA-256 of a file's bytes as 64 lowercase hex digits, read in 64 KiB chunks so large
/// videos never sit in memory. Errors: INTERNAL when the file cannot be read.
Result<std::string> Sha256OfFile(const std::string& path);

/// Where media bytes live. Implementations say how (LocalBlobStore; an S3 store later).
/// Every method refuses a key that fails IsValidKey() with BLOB_KEY_INVALID
/// (INVALID_ARGUMENT), except Exists, which answers false. Implementations are thread-safe.
class BlobStore {
 public:
  virtual ~BlobStore() = default;

  /// Moves the file at `source_path` into the store under `key` (the store takes ownership:
  /// the source is gone afterwards on success). If the key already exists, the existing
  /// object is kept and the source deleted: keys are content addresses, so the bytes are the
  /// same. Atomic: readers see either no object or the whole object.
  /// Errors: BLOB_KEY_INVALID (INVALID_ARGUMENT); INTERNAL on I/O failure (the source is
  /// then left where it was).
  virtual Status PutFile(std::string_view key, const std::string& source_path) = 0;

  virtual bool Exists(std::string_view key) = 0;

  /// The object's size in bytes. Errors: BLOB_NOT_FOUND (NOT_FOUND) when absent.
  virtual Result<std::uint64_t> Size(std::string_view key) = 0;

  /// A local file to read the object from: the local store's own file, a remote store's
  /// cached download. Errors: BLOB_NOT_FOUND (NOT_FOUND) when absent.
  virtual Result<std::string> LocalPath(std::string_view key) = 0;

  /// Removes the object. Deleting an absent key succeeds (the caller wanted it gone).
  /// Errors: INTERNAL on I/O failure.
  virtual Status Delete(std::string_view key) = 0;
};

}  // namespace reel::blob
