#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kit/status/status.hpp"

namespace reel::blob {

/// How every request to one S3 endpoint is signed and bounded.
struct S3Credentials {
  std::string region;
  std::string access_key;
  std::string secret_key;
  std::chrono::milliseconds connect_timeout{2000};
  /// A transfer moving less than a byte per second for this long is abandoned (not a total
  /// timeout: a large object legitimately takes long).
  std::chrono::seconds stall_timeout{30};
};

struct S3Response {
  long status = 0;
  std::string body;  // empty when the request had a sink or on_body
  std::string etag;
  std::string content_range;         // "bytes 0-99/1000" of a 206
  std::string last_modified;         // as sent: an HTTP-date
  std::int64_t content_length = -1;  // -1 when the server sent none
};

/// One S3 request. The body is `body_text`, or `body_length` bytes of the file `body_fd`
/// from `body_offset` (streamed, never held in memory); the response body goes to `on_body`
/// or `sink` when set, else into S3Response::body.
struct S3Request {
  std::string method = "GET";  // GET, HEAD, PUT, POST, DELETE
  std::string url;
  std::vector<std::string> headers;
  std::string body_text;
  int body_fd = -1;
  std::uint64_t body_offset = 0;
  std::uint64_t body_length = 0;
  std::FILE* sink = nullptr;
  /// The body of a 2xx answer, piece by piece as it arrives, with the answer's head so far
  /// (status, Content-Range). Returning false stops the transfer: it then ends as a response
  /// (with the status it had), not as an error. Must not throw.
  std::function<bool(const S3Response& head, std::string_view bytes)> on_body;
  /// Looked at while the transfer waits (about once a second) and between pieces: once true,
  /// the transfer stops as if on_body had returned false.
  const std::atomic<bool>* stop = nullptr;
};

/// Sends the request signed with libcurl's SigV4 (CURLOPT_AWS_SIGV4). Any HTTP status is a
/// response; only a transfer that fails (refused, reset, timed out) is an error:
/// BLOB_STORE_UNAVAILABLE (UNAVAILABLE). Thread-safe (one curl handle per call).
Result<S3Response> PerformS3Request(const S3Credentials& credentials, const S3Request& request);

/// What an unexpected answer to `operation` on `key` means for the caller: BLOB_NOT_FOUND
/// for 404, BLOB_STORE_UNAVAILABLE (UNAVAILABLE) for 5xx and a missing bucket (NoSuchBucket;
/// a HEAD has no body to say so, and reads as BLOB_NOT_FOUND: S3BlobStore then asks the
/// bucket), INTERNAL otherwise. The server's own
/// error code goes to the log only: it names S3 internals the client has no use for.
Status S3Failure(const S3Response& response, std::string_view operation, std::string_view key);

/// The <Code> of an S3 error document ("NoSuchKey"), or "" when there is none.
std::string S3ErrorCode(const std::string& body);

/// The text of the first <name>…</name> element in `xml`, or "" when there is none.
std::string XmlElement(const std::string& xml, const std::string& name);

}  // namespace reel::blob
