#include "kit/blob/s3_blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <utility>

#include "kit/blob/s3_presign.hpp"
#include "kit/blob/s3_range_reader.hpp"
#include "kit/http/file_response.hpp"
#include "kit/log/log.hpp"

namespace reel::blob {
namespace {

namespace fs = std::filesystem;

Status KeyInvalid() {
  return InvalidArgument("BLOB_KEY_INVALID", "blob key must be <sha256 hex>.<extension>");
}

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

S3BlobStore::S3BlobStore(S3Options options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  credentials_ = {options_.region, options_.access_key, options_.secret_key,
                  options_.connect_timeout, options_.stall_timeout};
  const auto separator = options_.endpoint.find("://");
  scheme_ = separator == std::string::npos ? "http://" : options_.endpoint.substr(0, separator + 3);
  authority_ =
      separator == std::string::npos ? options_.endpoint : options_.endpoint.substr(separator + 3);
  while (!authority_.empty() && authority_.back() == '/') authority_.pop_back();
}

std::string S3BlobStore::HostOf() const {
  return options_.path_style ? authority_ : options_.bucket + "." + authority_;
}

// Valid keys hold only [0-9a-z.], so they need no percent-encoding.
std::string S3BlobStore::PathOf(std::string_view key) const {
  return options_.path_style ? "/" + options_.bucket + "/" + std::string(key)
                             : "/" + std::string(key);
}

std::string S3BlobStore::UrlOf(std::string_view key, const std::string& query) const {
  return scheme_ + HostOf() + PathOf(key) + (query.empty() ? "" : "?" + query);
}

Result<S3Response> S3BlobStore::Send(S3Request request, std::string_view key) const {
  if (request.url.empty()) request.url = UrlOf(key);
  return PerformS3Request(credentials_, request);
}

Status S3BlobStore::PutFile(std::string_view key, const std::string& source_path) {
  if (!IsValidKey(key)) return KeyInvalid();
  // Keys are content addresses: an object already there holds these very bytes.
  if (Exists(key)) {
    ::unlink(source_path.c_str());
    return Status::Ok();
  }
  FdCloser file{::open(source_path.c_str(), O_RDONLY | O_CLOEXEC)};
  struct stat st {};
  if (file.fd < 0 || ::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return Internal("blob store: cannot read " + source_path);
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  Status status = size < options_.multipart_threshold ? PutSingle(key, file.fd, size)
                                                      : PutMultipart(key, file.fd, size);
  if (status.ok()) ::unlink(source_path.c_str());
  return status;
}

Status S3BlobStore::PutSingle(std::string_view key, int fd, std::uint64_t size) {
  const auto dot = key.rfind('.');
  S3Request request;
  request.method = "PUT";
  request.headers.push_back("Content-Type: " +
                            std::string(http::ContentTypeForExtension(key.substr(dot + 1))));
  request.body_fd = fd;
  request.body_length = size;
  auto response = Send(std::move(request), key);
  if (!response.ok()) return response.status();
  if (response->status != 200) return S3Failure(*response, "PUT", key);
  return Status::Ok();
}

bool S3BlobStore::Exists(std::string_view key) {
  return IsValidKey(key) && Size(key).ok();
}

Result<S3Response> S3BlobStore::Head(std::string_view key) {
  if (!IsValidKey(key)) return KeyInvalid();
  S3Request request;
  request.method = "HEAD";
  auto response = Send(std::move(request), key);
  if (!response.ok()) return response.status();
  if (response->status == 404 && !BucketExists()) {
    return Unavailable("BLOB_STORE_UNAVAILABLE", "the media store is unavailable");
  }
  if (response->status != 200) return S3Failure(*response, "HEAD", key);
  if (response->content_length < 0)
    return Internal("blob store: HEAD " + std::string(key) + " answered no Content-Length");
  return response;
}

// A HEAD's 404 has no body to tell a missing key from a missing bucket; the bucket's own HEAD
// does. False also when the server cannot be reached.
bool S3BlobStore::BucketExists() const {
  S3Request request;
  request.method = "HEAD";
  request.url = scheme_ + HostOf() + (options_.path_style ? "/" + options_.bucket : "/");
  auto response = PerformS3Request(credentials_, request);
  if (response.ok() && response->status == 404) {
    log::Warn("S3 bucket missing", {{"bucket", options_.bucket}});
  }
  return response.ok() && response->status == 200;
}

Result<std::uint64_t> S3BlobStore::Size(std::string_view key) {
  auto head = Head(key);
  if (!head.ok()) return head.status();
  return static_cast<std::uint64_t>(head->content_length);
}

Result<BlobInfo> S3BlobStore::Stat(std::string_view key) {
  auto head = Head(key);
  if (!head.ok()) return head.status();
  return BlobInfo{static_cast<std::uint64_t>(head->content_length), head->last_modified};
}

Result<std::unique_ptr<BlobReader>> S3BlobStore::OpenRange(std::string_view key,
                                                           std::uint64_t offset,
                                                           std::uint64_t length) {
  if (!IsValidKey(key)) return KeyInvalid();
  if (length == 0) return InvalidArgument("BLOB_RANGE_INVALID", "an empty range");
  S3Request request;
  request.url = UrlOf(key);
  request.headers.push_back("Range: bytes=" + std::to_string(offset) + "-" +
                            std::to_string(offset + length - 1));
  return S3RangeReader::Open(credentials_, std::move(request), std::string(key), offset, length);
}

Result<std::string> S3BlobStore::LocalPath(std::string_view key) {
  if (!IsValidKey(key)) return KeyInvalid();
  if (options_.cache_dir.empty()) return Internal("blob store: S3 cache_dir is not set");
  const fs::path path = fs::path(options_.cache_dir) / std::string(key);
  std::error_code error;
  if (fs::is_regular_file(fs::symlink_status(path, error))) {
    // Used again: the newest time keeps it longest when the cache is trimmed.
    fs::last_write_time(path, fs::file_time_type::clock::now(), error);
    return path.string();
  }
  fs::create_directories(options_.cache_dir, error);
  // A temp name per download, so concurrent callers never write into one file; the rename
  // makes the cached object appear whole or not at all.
  std::string temp = (fs::path(options_.cache_dir) / ("." + std::string(key) + ".XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return Internal("blob store: cannot create a file in " + options_.cache_dir);
  std::unique_ptr<std::FILE, FileCloser> sink(::fdopen(fd, "wb"));
  if (!sink) {
    ::close(fd);
    ::unlink(temp.c_str());
    return Internal("blob store: cannot open " + temp);
  }
  S3Request request;
  request.sink = sink.get();
  auto response = Send(std::move(request), key);
  const bool written = std::fflush(sink.get()) == 0 && ::fsync(fd) == 0;
  sink.reset();
  Status failure = !response.ok()            ? response.status()
                   : response->status != 200 ? S3Failure(*response, "GET", key)
                   : !written                ? Internal("blob store: cannot write " + temp)
                   : ::rename(temp.c_str(), path.c_str()) != 0
                       ? Internal("blob store: cannot name " + path.string())
                       : Status::Ok();
  if (!failure.ok()) {
    ::unlink(temp.c_str());
    return failure;
  }
  TrimCache(path.string());
  return path.string();
}

Status S3BlobStore::Delete(std::string_view key) {
  if (!IsValidKey(key)) return KeyInvalid();
  S3Request request;
  request.method = "DELETE";
  auto response = Send(std::move(request), key);
  if (!response.ok()) return response.status();
  // S3 answers 204 whether or not the key was there; a 404 means the same to the caller.
  if (response->status != 204 && response->status != 200 && response->status != 404) {
    return S3Failure(*response, "DELETE", key);
  }
  std::error_code ignored;
  fs::remove(fs::path(options_.cache_dir) / std::string(key), ignored);
  return Status::Ok();
}

Result<std::string> S3BlobStore::ReadRange(std::string_view key, std::uint64_t offset,
                                           std::uint64_t length) {
  if (!IsValidKey(key)) return KeyInvalid();
  if (length == 0) return std::string();
  S3Request request;
  request.headers.push_back("Range: bytes=" + std::to_string(offset) + "-" +
                            std::to_string(offset + length - 1));
  auto response = Send(std::move(request), key);
  if (!response.ok()) return response.status();
  if (response->status == 416) {
    return InvalidArgument("BLOB_RANGE_INVALID", "range starts past the end of the blob");
  }
  if (response->status == 200) {
    // A server that ignores Range sends the whole object: cut the range out of it.
    if (offset >= response->body.size()) {
      return InvalidArgument("BLOB_RANGE_INVALID", "range starts past the end of the blob");
    }
    return response->body.substr(offset, length);
  }
  if (response->status != 206) return S3Failure(*response, "GET", key);
  // The bytes start where Content-Range says, which need not be where they were asked to:
  // s3rver answers "bytes=0-0" with the whole object.
  std::uint64_t first = 0;
  const std::string& range = response->content_range;
  const auto digits = range.find_first_of("0123456789");
  const char* begin = range.data() + (digits == std::string::npos ? range.size() : digits);
  const auto [end, error] = std::from_chars(begin, range.data() + range.size(), first);
  if (error != std::errc() || end == begin || first > offset ||
      offset - first > response->body.size()) {
    return Internal("blob store: GET " + std::string(key) + " answered Content-Range '" + range +
                    "'");
  }
  return response->body.substr(offset - first, length);
}

Result<std::string> S3BlobStore::PresignedGetUrl(std::string_view key,
                                                 std::chrono::seconds expires) {
  if (!IsValidKey(key)) return KeyInvalid();
  if (expires <= std::chrono::seconds(0) || expires > std::chrono::hours(24 * 7)) {
    return InvalidArgument("BLOB_URL_EXPIRY_INVALID", "a presigned URL lasts 1 s to 7 days");
  }
  const S3PresignInput input{
      HostOf(),     PathOf(key), options_.region, options_.access_key, options_.secret_key,
      clock_.Now(), expires};
  return UrlOf(key, PresignGetQuery(input));
}

}  // namespace reel::blob
