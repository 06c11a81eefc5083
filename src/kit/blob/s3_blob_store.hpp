#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "kit/blob/blob_store.hpp"
#include "kit/blob/s3_http.hpp"
#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"

namespace reel::blob {

struct S3Options {
  std::string endpoint = "http://127.0.0.1:9000";  ///< scheme://host[:port], no path
  std::string region = "us-east-1";
  std::string bucket;
  std::string access_key;
  std::string secret_key;
  /// endpoint/bucket/key (MinIO, s3rver, most self-hosted servers) rather than
  /// bucket.host/key (AWS's virtual-host style).
  bool path_style = true;
  /// Files of at least this size go up in parts of part_size (S3: at least 5 MiB each but
  /// the last, at most 10000 parts).
  std::uint64_t multipart_threshold = 16ull << 20;
  std::uint64_t part_size = 8ull << 20;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::seconds stall_timeout{30};
  /// Where LocalPath() keeps downloaded objects (created when missing), at most
  /// cache_max_bytes of them: past that, the least recently used go (0: keep none but the
  /// one just asked for).
  std::string cache_dir;
  std::uint64_t cache_max_bytes = 1ull << 30;
};

/// Objects in one bucket of an S3-compatible server, each under its key. Requests are signed
/// by libcurl (SigV4); presigned URLs are signed here.
///
/// Errors, besides the BlobStore contract: BLOB_STORE_UNAVAILABLE (UNAVAILABLE) when the
/// server cannot be reached, answers 5xx or has no such bucket; INTERNAL for other refusals (the S3
/// error code is logged, not returned). Thread-safe: every call uses its own connection.
class S3BlobStore final : public RemoteBlobStore {
 public:
  /// `clock` dates presigned URLs and must outlive the store.
  S3BlobStore(S3Options options, const Clock& clock);
  /// Presigned URLs dated by the system clock.
  explicit S3BlobStore(S3Options options) : S3BlobStore(std::move(options), system_clock_) {}

  const S3Options& options() const { return options_; }

  /// A single PUT below multipart_threshold, else a multipart upload (aborted on failure).
  Status PutFile(std::string_view key, const std::string& source_path) override;
  /// False also when the server cannot be reached.
  bool Exists(std::string_view key) override;
  Result<std::uint64_t> Size(std::string_view key) override;
  /// cache_dir/key, downloaded whole (to a temp file, then renamed) and reused after; each
  /// download may evict the least recently used files to keep within cache_max_bytes. For
  /// callers that need a file; /media reads with Stat and OpenRange.
  Result<std::string> LocalPath(std::string_view key) override;
  Status Delete(std::string_view key) override;

  /// A HEAD: size and Last-Modified.
  Result<BlobInfo> Stat(std::string_view key) override;
  /// A ranged GET whose bytes arrive as the reader takes them (S3RangeReader).
  Result<std::unique_ptr<BlobReader>> OpenRange(std::string_view key, std::uint64_t offset,
                                                std::uint64_t length) override;

  /// `length` bytes from `offset` (fewer when the object ends first).
  /// Errors: BLOB_NOT_FOUND; BLOB_RANGE_INVALID (INVALID_ARGUMENT) when offset is past the end.
  Result<std::string> ReadRange(std::string_view key, std::uint64_t offset, std::uint64_t length);

  /// A URL anyone may GET the object with, until `expires` (at most 7 days) from now. Not
  /// checked against the server: an absent key yields a URL that answers 404.
  Result<std::string> PresignedGetUrl(std::string_view key, std::chrono::seconds expires);

 private:
  std::string UrlOf(std::string_view key, const std::string& query = "") const;
  std::string HostOf() const;
  std::string PathOf(std::string_view key) const;
  Result<S3Response> Send(S3Request request, std::string_view key) const;
  Status PutSingle(std::string_view key, int fd, std::uint64_t size);
  Status PutMultipart(std::string_view key, int fd, std::uint64_t size);
  Status PutParts(std::string_view key, const std::string& upload_id, int fd, std::uint64_t size);
  Result<S3Response> Head(std::string_view key);
  bool BucketExists() const;
  void TrimCache(const std::string& keep);

  SystemClock system_clock_;  // stateless: safe to hand out before the constructor ends
  S3Options options_;
  S3Credentials credentials_;
  const Clock& clock_;
  std::string scheme_;      // "http://"
  std::string authority_;   // "127.0.0.1:9000"
  std::mutex cache_mutex_;  // one trim at a time
};

}  // namespace reel::blob
