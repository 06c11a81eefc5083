#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "kit/blob/blob_store.hpp"
#include "kit/blob/s3_http.hpp"
#include "kit/status/status.hpp"

namespace reel::blob {

/// A BlobReader over one ranged GET. The transfer runs on a thread of its own and keeps at
/// most kAheadBytes ahead of the reader (a slow client slows the download instead of filling
/// memory); destroying the reader stops it within about a second.
class S3RangeReader final : public BlobReader {
 public:
  static constexpr std::size_t kAheadBytes = 1u << 20;

  /// Starts `request` (a GET of the object, with its Range header) and waits until S3 has
  /// answered: the first bytes arrived or the transfer ended. The bytes kept are `length` from
  /// `offset` of the object, wherever the answer starts: a server that ignores Range (200) or
  /// starts early (s3rver answers "bytes=0-0" with the whole object) is cut to size.
  /// Errors: as S3BlobStore's (BLOB_NOT_FOUND, BLOB_STORE_UNAVAILABLE, BLOB_RANGE_INVALID).
  static Result<std::unique_ptr<BlobReader>> Open(const S3Credentials& credentials,
                                                  S3Request request, std::string key,
                                                  std::uint64_t offset, std::uint64_t length);

  ~S3RangeReader() override;
  S3RangeReader(const S3RangeReader&) = delete;
  S3RangeReader& operator=(const S3RangeReader&) = delete;

  /// Errors: BLOB_STORE_UNAVAILABLE when the transfer fails or ends before `length` bytes.
  Result<std::size_t> Read(char* buffer, std::size_t capacity) override;

 private:
  struct State;  // shared by the reader and the transfer thread
  S3RangeReader() = default;
  static void Transfer(const std::shared_ptr<State>& state, const S3Credentials& credentials,
                       const S3Request& request);
  static bool Take(State& state, const S3Response& head, std::string_view bytes);

  std::shared_ptr<State> state_;
  std::thread transfer_;
};

}  // namespace reel::blob
