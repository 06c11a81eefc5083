#include "kit/blob/s3_http.hpp"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

#include "kit/curl/curl_handles.hpp"
#include "kit/log/log.hpp"
#include "kit/metrics/metrics.hpp"

namespace reel::blob {
namespace {

using curl::EasyPtr;
using curl::ListPtr;

// Callbacks run inside libcurl (C): they must not throw. Appending to a string can, so they
// catch and return 0, which makes curl abort the transfer with an error.
struct Transfer {
  CURL* easy;
  const S3Request* request;
  std::uint64_t sent = 0;
  S3Response response;
  bool local_failure = false;  // our file failed, not the network
  bool stopped = false;        // on_body or `stop` ended it, on purpose
};

bool StopAsked(const S3Request& request) {
  return request.stop != nullptr && request.stop->load(std::memory_order_relaxed);
}

size_t ReadBody(char* buffer, size_t size, size_t count, void* self_ptr) {
  auto& self = *static_cast<Transfer*>(self_ptr);
  const S3Request& request = *self.request;
  const std::uint64_t left = request.body_length - self.sent;
  const size_t want = static_cast<size_t>(std::min<std::uint64_t>(left, size * count));
  if (want == 0) return 0;
  const ssize_t got =
      ::pread(request.body_fd, buffer, want, static_cast<off_t>(request.body_offset + self.sent));
  if (got <= 0) {  // the file shrank or failed: never send a short object
    self.local_failure = true;
    return CURL_READFUNC_ABORT;
  }
  self.sent += static_cast<std::uint64_t>(got);
  return static_cast<size_t>(got);
}

size_t WriteBody(char* data, size_t size, size_t count, void* self_ptr) {
  auto& self = *static_cast<Transfer*>(self_ptr);
  // Only an object goes to the sink: an error document is kept to read its code from.
  long status = 0;
  curl_easy_getinfo(self.easy, CURLINFO_RESPONSE_CODE, &status);
  const bool success = status >= 200 && status < 300;
  if (self.request->on_body && success) {
    self.response.status = status;
    if (StopAsked(*self.request) ||
        !self.request->on_body(self.response, std::string_view(data, size * count))) {
      self.stopped = true;
      return 0;
    }
    return size * count;
  }
  if (self.request->sink != nullptr && success) {
    const size_t written = std::fwrite(data, 1, size * count, self.request->sink);
    if (written != size * count) self.local_failure = true;
    return written;
  }
  try {
    const bool streamed = self.request->sink != nullptr || self.request->on_body;
    if (streamed && self.response.body.size() > (64u << 10)) return 0;
    self.response.body.append(data, size * count);
    return size * count;
  } catch (...) {
    return 0;
  }
}

// The value of `line` when it is the header `name` (lowercase, with the colon).
bool HeaderValue(std::string_view line, std::string_view name, std::string& value) {
  if (line.size() < name.size() ||
      !std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    return false;
  }
  line.remove_prefix(name.size());
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) {
    line.remove_suffix(1);
  }
  value = std::string(line);
  return true;
}

size_t ReadHeader(char* data, size_t size, size_t count, void* self_ptr) {
  auto& self = *static_cast<Transfer*>(self_ptr);
  const std::string_view line(data, size * count);
  try {
    HeaderValue(line, "etag:", self.response.etag) ||
        HeaderValue(line, "content-range:", self.response.content_range) ||
        HeaderValue(line, "last-modified:", self.response.last_modified);
  } catch (...) {
    return 0;
  }
  return size * count;
}

// Called by curl about once a second even while nothing moves, so a stop is noticed while
// the server is silent too.
int Progress(void* self_ptr, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto& self = *static_cast<Transfer*>(self_ptr);
  if (!StopAsked(*self.request)) return 0;
  self.stopped = true;
  return 1;
}

// The request without its metrics (PerformS3Request below measures it).
Result<S3Response> Perform(const S3Credentials& credentials, const S3Request& request) {
  curl::EnsureInitialised();
  EasyPtr easy(curl_easy_init());
  if (!easy) return Internal("curl_easy_init failed");
  CURL* c = easy.get();
  Transfer transfer{c, &request, 0, {}};
  const std::string sigv4 = "aws:amz:" + credentials.region + ":s3";
  const std::string userpwd = credentials.access_key + ":" + credentials.secret_key;

  // The payload is not hashed (a file streams through a callback curl cannot hash); S3
  // accepts UNSIGNED-PAYLOAD, and curl signs with the value of this header. No "Expect:" to
  // skip the 100-continue round trip: curl would sign it as an empty header it never sends,
  // and a server that checks signatures would refuse every upload.
  curl_slist* raw_headers = curl_slist_append(nullptr, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
  for (const std::string& header : request.headers) {
    raw_headers = curl_slist_append(raw_headers, header.c_str());
  }
  ListPtr headers(raw_headers);

  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(c, CURLOPT_USERPWD, userpwd.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(credentials.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(credentials.stall_timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, ReadHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
  if (request.stop != nullptr) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, Progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
  }

  if (request.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT" && request.body_fd >= 0) {
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadBody);
    curl_easy_setopt(c, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body_length));
  } else if (request.method == "PUT" || request.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body_text.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body_text.size()));
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  } else if (request.method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK && transfer.stopped) {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &transfer.response.status);
    return std::move(transfer.response);
  }
  if (code != CURLE_OK && transfer.local_failure) {
    return Internal("blob store: a local file failed during an S3 transfer");
  }
  if (code != CURLE_OK) {
    // What failed (refused, timed out, reset) is for the log; the client learns only that the
    // store is unavailable.
    log::Warn(
        "S3 request failed",
        {{"method", request.method}, {"url", request.url}, {"error", curl_easy_strerror(code)}});
    return Unavailable("BLOB_STORE_UNAVAILABLE", "the media store is unavailable");
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &transfer.response.status);
  curl_off_t length = -1;
  curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  transfer.response.content_length = static_cast<std::int64_t>(length);
  return std::move(transfer.response);
}

}  // namespace

Result<S3Response> PerformS3Request(const S3Credentials& credentials, const S3Request& request) {
  static auto& latency = metrics::HistogramFamily("reel_s3_request_duration_seconds",
                                                  "S3 request latency by operation (HTTP method).");
  static auto& errors = metrics::CounterFamily(
      "reel_s3_errors_total", "S3 requests that failed or answered 5xx, by operation.");
  // The methods S3Request allows; anything else is one label.
  std::string operation = "other";
  for (std::string_view known : {"GET", "HEAD", "PUT", "POST", "DELETE"}) {
    if (request.method == known) operation = known;
  }
  const auto started = std::chrono::steady_clock::now();
  auto response = Perform(credentials, request);
  latency.Add({{"operation", operation}}, metrics::LatencyBuckets())
      .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (!response.ok() || response->status >= 500) errors.Add({{"operation", operation}}).Increment();
  return response;
}

Status S3Failure(const S3Response& response, std::string_view operation, std::string_view key) {
  const std::string s3_code = S3ErrorCode(response.body);
  // An absent key is an ordinary answer (every PutFile asks first); the rest are worth a look.
  if (response.status == 404 && s3_code != "NoSuchBucket") {
    return NotFound("BLOB_NOT_FOUND", "no blob " + std::string(key));
  }
  log::Warn("S3 request refused", {{"operation", operation},
                                   {"key", key},
                                   {"http_status", static_cast<std::int64_t>(response.status)},
                                   {"s3_code", s3_code}});
  // A missing bucket makes the whole store unusable, like a server that is down.
  if (response.status >= 500 || s3_code == "NoSuchBucket") {
    return Unavailable("BLOB_STORE_UNAVAILABLE", "the media store is unavailable");
  }
  return Internal("blob store: " + std::string(operation) + " " + std::string(key) + " answered " +
                  std::to_string(response.status));
}

std::string XmlElement(const std::string& xml, const std::string& name) {
  const std::string open = "<" + name + ">";
  const auto start = xml.find(open);
  if (start == std::string::npos) return "";
  const auto end = xml.find("</" + name + ">", start + open.size());
  if (end == std::string::npos) return "";
  return xml.substr(start + open.size(), end - start - open.size());
}

std::string S3ErrorCode(const std::string& body) {
  return body.find("<Error>") == std::string::npos ? "" : XmlElement(body, "Code");
}

}  // namespace reel::blob
