#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>

#include "kit/http/message.hpp"
#include "kit/status/status.hpp"

namespace reel::http {

/// The Content-Type for a media extension, case-insensitively: mp4 → video/mp4,
/// webm → video/webm, mov → video/quicktime, jpg/jpeg → image/jpeg, png → image/png,
/// anything else → application/octet-stream.
std::string_view ContentTypeForExtension(std::string_view ext);

/// Bytes `first` to `last` of a resource, both inclusive.
struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

enum class RangeKind {
  kNone,           // no usable Range: serve the whole resource (200)
  kSatisfiable,    // serve the ByteRange (206)
  kUnsatisfiable,  // nothing of the resource was asked for (416)
};

/// Parses a Range header value ("bytes=0-99", "bytes=100-", "bytes=-500", or several of
/// these comma-separated) against a resource of `size` bytes. Ends past the resource are
/// clamped to it. Several satisfiable ranges are coalesced into the one range spanning them
/// (RFC 9110 §14.2 allows it, and it spares us multipart/byteranges bodies).
/// Syntax errors, reversed ranges and units other than bytes give kNone: RFC 9110 says to
/// ignore an invalid Range. kUnsatisfiable when no range overlaps the resource (every first
/// byte ≥ size, a zero-length suffix, or size 0). The ByteRange is meaningful only for
/// kSatisfiable.
std::pair<RangeKind, ByteRange> ParseRange(std::string_view header, std::uint64_t size);

/// `when` as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), locale-independent.
std::string HttpDate(std::time_t when);

/// What an answer about an immutable resource needs besides its bytes.
struct ResourceInfo {
  std::uint64_t size = 0;
  std::string last_modified;  ///< an HTTP-date; "" when unknown (then no Last-Modified)
};

/// FileResponse's answer with the body left to the caller: when `has_body` (a GET answered
/// 200 or 206), the caller attaches the `length` bytes from `offset` of the resource.
struct ResourceAnswer {
  Response response;
  bool has_body = false;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

/// Every rule of FileResponse below, for a resource known by `info` (a file, an object in a
/// remote store). Never fails: the caller has found the resource already.
ResourceAnswer ResourceResponse(const Request& request, const ResourceInfo& info,
                                std::string_view content_type, std::string_view cache_control,
                                std::string_view etag_seed);

/// The response serving the file at `path` (an immutable object) to a GET or HEAD request:
/// - always ETag `"<etag_seed>"` (objects are immutable and content-addressed, so the key is a
///   strong validator), Last-Modified from the file's mtime, Accept-Ranges: bytes, and
///   `content_type` / `cache_control` as given (each omitted when empty);
/// - If-None-Match listing the ETag (weak comparison) or `*` → 304 without body;
/// - Range (GET only, as RFC 9110 §14.2 requires) → 206 with Content-Range "bytes f-l/size"
///   and that slice, or 416 with Content-Range "bytes */size" when unsatisfiable; an
///   If-Range that is not exactly our ETag or Last-Modified drops the Range (200 full);
/// - otherwise 200 with the whole file as the slice.
/// A HEAD response carries no slice but a Content-Length header of what GET would send. For
/// GET the server derives Content-Length from the slice.
/// The server should open `Response::file` with O_NOFOLLOW too.
/// Errors: MEDIA_NOT_FOUND (NOT_FOUND) when `path` is missing, is a symlink (never followed)
/// or is not a regular file; INTERNAL when it cannot be examined.
Result<Response> FileResponse(const Request& request, const std::string& path,
                              std::string_view content_type, std::string_view cache_control,
                              std::string_view etag_seed);

}  // namespace reel::http
