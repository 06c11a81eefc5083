#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
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

/// Where media bytes live. Implementations say how (LocalBlobStore, S3BlobStore).
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

/// What a reader learns of an object before reading it.
struct BlobInfo {
  std::uint64_t size = 0;
  /// As the store reports it, an HTTP-date ("Sun, 06 Nov 1994 08:49:37 GMT"); "" if unknown.
  std::string last_modified;
};

/// The bytes of one range of an object as they arrive. One reader, one thread at a time.
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  /// Up to `capacity` bytes into `buffer`; 0 once the whole range has been read. May wait for
  /// the network. Errors: BLOB_STORE_UNAVAILABLE (UNAVAILABLE) when the store fails mid-range.
  virtual Result<std::size_t> Read(char* buffer, std::size_t capacity) = 0;
};

/// A store whose objects are not local files (S3): LocalPath would have to copy a whole
/// object first, so readers ask for what they need, as it arrives.
class RemoteBlobStore : public BlobStore {
 public:
  /// Errors: BLOB_NOT_FOUND; BLOB_STORE_UNAVAILABLE; BLOB_KEY_INVALID.
  virtual Result<BlobInfo> Stat(std::string_view key) = 0;
  /// A reader of `length` (> 0) bytes from `offset`, which the object must hold. Returns once
  /// the store has answered, so a store that is down or an object that is gone is an error
  /// here, before the caller has promised anything to its own client.
  /// Errors: BLOB_NOT_FOUND; BLOB_STORE_UNAVAILABLE; BLOB_RANGE_INVALID (INVALID_ARGUMENT)
  /// when the range is empty or starts past the end; BLOB_KEY_INVALID.
  virtual Result<std::unique_ptr<BlobReader>> OpenRange(std::string_view key, std::uint64_t offset,
                                                        std::uint64_t length) = 0;
};

}  // namespace reel::blob
