// HTTP/1.1 client for the server under test, on 127.0.0.1 only.
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reel::e2e {

/// Ordered name/value pairs (duplicates allowed): request headers, form fields, query params.
using Pairs = std::vector<std::pair<std::string, std::string>>;

/// One HTTP response. `status` is 0 when the exchange failed below HTTP (refused, reset,
/// timed out); `error` then says why.
struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers{};  ///< lower-case names; repeats joined by ", "
  std::string body{};
  std::string error{};

  /// Body parsed as JSON; a null document (HasParseError() true) when it is not JSON.
  rapidjson::Document Json() const;
  /// Value of header `name` (any case), "" when absent.
  std::string Header(std::string_view name) const;
  /// Short description for failure messages: status, error and the start of the body.
  std::string Describe() const;
};

/// A file part of a multipart/form-data body. The bytes are streamed from `path` while the
/// request is sent, so a large file is never held in memory.
struct MultipartFile {
  std::string field{};
  std::filesystem::path path{};
  std::string filename{};      ///< sent in Content-Disposition; empty sends the path's name
  std::string content_type{};  ///< empty sends application/octet-stream
};

/// HTTP/1.1 client for a server on 127.0.0.1:`port` (it never connects anywhere else, never
/// uses a proxy, never follows redirects, and sends paths as given, dot segments included). Reuses
/// its connection between requests. Use one client per thread. Requests time out after 10 s unless
/// SetTimeout() says otherwise.
class HttpClient {
 public:
  explicit HttpClient(int port);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  /// `path` starts with '/' and may carry a query string (see WithQuery()).
  HttpResponse Get(std::string_view path, const Pairs& headers = {});
  /// POST with an application/x-www-form-urlencoded body.
  HttpResponse PostForm(std::string_view path, const Pairs& fields, const Pairs& headers = {});
  /// POST with an application/json body, sent as given.
  HttpResponse PostJson(std::string_view path, std::string_view json, const Pairs& headers = {});
  /// POST with a multipart/form-data body of plain text fields.
  HttpResponse PostMultipart(std::string_view path, const Pairs& fields, const Pairs& headers = {});
  /// POST with a multipart/form-data body: the text `fields`, then the `files` parts. A file
  /// that cannot be opened fails the exchange (status 0). Named apart from PostMultipart so
  /// that a braced list as third argument is never ambiguous.
  HttpResponse PostMultipartFiles(std::string_view path, const Pairs& fields,
                                  const std::vector<MultipartFile>& files,
                                  const Pairs& headers = {});
  /// Any method. The body is sent when non-empty (and always for POST); no Content-Type header
  /// is sent when `content_type` is empty. A header with an empty value is sent empty.
  HttpResponse Request(std::string_view method, std::string_view path, std::string_view body = {},
                       std::string_view content_type = {}, const Pairs& headers = {});

  void SetTimeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
  int Port() const { return port_; }

 private:
  struct CurlCleanup {
    void operator()(void* handle) const;
  };
  int port_;
  std::chrono::milliseconds timeout_ = std::chrono::seconds(10);
  std::unique_ptr<void, CurlCleanup> curl_;
};

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view text);
/// `path?name=value&...` with names and values percent-encoded.
std::string WithQuery(std::string_view path, const Pairs& params);

}  // namespace reel::e2e
