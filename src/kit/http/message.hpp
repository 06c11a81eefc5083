#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kit/status/status.hpp"

namespace reel::http {

/// Header list; names are stored lower-case.
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Route;

/// A file part of a multipart upload, spooled to disk by the server (never held in memory)
/// for routes that accept uploads. The server deletes the file when the request ends.
struct UploadedFile {
  std::string field;         // form field name ("data")
  std::string filename;      // as the client named it
  std::string content_type;  // as the client declared it
  std::string path;          // the spooled bytes
  std::uint64_t size = 0;
  std::string sha256;  // lowercase hex, computed while streaming (no second pass)
};

/// A byte range of a file to send as the response body (the server streams it).
struct FileSlice {
  std::string path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

/// A body made while it is sent: bytes relayed from a remote store, too many to hold and in
/// no local file. The server asks for it off its I/O threads, since a read may wait for the
/// network.
class BodySource {
 public:
  virtual ~BodySource() = default;
  /// Up to `capacity` bytes into `buffer`; 0 when there are no more. An error, or the end
  /// before the promised length, cuts the response short: its head is sent already, so the
  /// server closes the connection and the client sees an incomplete body, not a success.
  virtual Result<std::size_t> Read(char* buffer, std::size_t capacity) = 0;
};

/// `length` bytes from a BodySource as the response body.
struct StreamedBody {
  std::shared_ptr<BodySource> source;
  std::uint64_t length = 0;
};

/// An HTTP request as the handlers see it, independent of the server library.
struct Request {
  std::string method;  // "GET"
  std::string path;    // raw path, without the query string
  std::string query;   // raw query string, without '?'
  Headers headers;
  std::string body;
  /// The client's address: the TCP peer, or, when the peer is a trusted proxy
  /// (http.trusted_proxies), the client it forwarded for. Rate limits, logs and login
  /// throttles key on this.
  std::string remote_ip;
  /// The TCP peer as the socket saw it (behind a proxy, the proxy). Equals remote_ip when no
  /// proxy is trusted.
  std::string peer_ip;

  // Filled in by the server before middleware runs.
  std::string request_id;
  /// Text fields and spooled files of a multipart body on upload routes (Route::upload);
  /// there `body` stays empty.
  std::vector<std::pair<std::string, std::string>> form_fields;
  std::vector<UploadedFile> files;
  const Route* route = nullptr;     // nullptr when no route matched
  bool method_not_allowed = false;  // the path exists, with other methods
  /// Why the body could not be taken (too large, malformed upload); the route's handler is
  /// not called and this is rendered instead.
  Status body_error;
  std::vector<std::pair<std::string, std::string>> path_params;

  /// Header value by lower-case name; empty when absent.
  std::string_view Header(std::string_view lower_name) const;
  /// A `{name}` segment of the matched route pattern; empty when absent.
  std::string_view PathParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  /// When set, the body is this slice of a file instead of `body`.
  std::optional<FileSlice> file;
  /// When set (and `file` is not), the body comes from this source instead of `body`.
  std::optional<StreamedBody> stream;

  /// A JSON response with `Content-Type: application/json; charset=utf-8`.
  static Response Json(std::string body, int status = 200);
  Response& SetHeader(std::string lower_name, std::string value);
  std::string_view Header(std::string_view lower_name) const;
};

/// Route handlers return a response, or the Status that explains the refusal; the route's
/// error renderer turns a Status into the response its API promises.
using Handler = std::function<Result<Response>(Request&)>;
using ErrorRenderer = std::function<Response(const Status&)>;

/// Middleware wraps the rest of the chain: it may answer itself or call `next`.
using Next = std::function<Response(Request&)>;
using Middleware = std::function<Response(Request&, const Next& next)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/video/{id}", without a trailing slash
  Handler handler;
  /// Rate-limit group ("default", "auth"); "none" turns rate limiting off for the route.
  std::string group = "default";
  ErrorRenderer render_error;  // defaults to the /api error body
  /// Upload routes: a multipart body is streamed to temp files (Request::files) instead of
  /// memory, up to `max_body_bytes` (0: the server's http.max_body_bytes).
  bool upload = false;
  std::uint64_t max_body_bytes = 0;
  /// Handlers that hold a thread for long (Argon2id hashing, probing an upload) run on the
  /// server's blocking pool, first come first served, so the I/O threads go on reading and
  /// answering everything else, and a queue of slow requests is served in arrival order.
  bool blocking = false;
};

/// The /api error shape: real HTTP status, body {"code","reason","message"}, and Retry-After
/// when the status says when to come back.
Response RenderApiError(const Status& status);

/// Renders `status` the way the request's route wants it; without a route's renderer (no
/// route matched, a 405, a refusal before the route ran), by the path: the Douyin shape
/// under /douyin, else the /api shape.
Response RenderError(const Request& request, const Status& status);

/// Whether `path` belongs to the Douyin API: "/douyin" or below it.
bool IsDouyinPath(std::string_view path);

/// The answer to a request the server could not take as HTTP (400 BAD_REQUEST, 414
/// URI_TOO_LONG, 431 HEADER_TOO_LARGE), before any route or middleware: under a /douyin
/// `path` (empty when unreadable) the Douyin body {"status_code": `http_status`,
/// "status_msg"} with HTTP 200, as every Douyin error; else the /api body with the real
/// status. The caller closes the connection after it.
Response RenderProtocolError(std::string_view path, int http_status, std::string_view reason,
                             std::string_view message);

}  // namespace reel::http
