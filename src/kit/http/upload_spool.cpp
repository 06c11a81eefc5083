#include "kit/http/upload_spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace reel::http {
namespace {
constexpr std::size_t kMaxFieldBytes = 64 * 1024;
constexpr std::size_t kMaxFields = 64;
}  // namespace

UploadSpool::UploadSpool(std::string dir) : dir_(std::move(dir)) {}

UploadSpool::~UploadSpool() {
  if (fd_ >= 0) ::close(fd_);
  for (const auto& path : created_) ::unlink(path.c_str());  // ENOENT when a handler kept it
}

void UploadSpool::Begin(std::string_view boundary) {
  parser_ = std::make_unique<MultipartStreamParser>(
      boundary, MultipartStreamParser::Callbacks{[this](const PartInfo& p) { return OnBegin(p); },
                                                 [this](std::string_view d) { return OnData(d); },
                                                 [this] { return OnEnd(); }});
}

Status UploadSpool::Feed(std::string_view chunk) {
  return parser_->Feed(chunk);
}
Status UploadSpool::Finish() {
  return parser_->Finish();
}

Status UploadSpool::OnBegin(const PartInfo& part) {
  current_ = part;
  value_.clear();
  if (part.filename.empty()) {
    if (fields_.size() >= kMaxFields) {
      return InvalidArgument("FIELD_TOO_LARGE", "too many form fields");
    }
    return Status::Ok();
  }
  std::string path = dir_ + "/reel-upload-XXXXXX";
  fd_ = ::mkstemp(path.data());
  if (fd_ < 0) return Internal("cannot create an upload file in " + dir_);
  created_.push_back(path);
  files_.push_back(UploadedFile{part.name, part.filename, part.content_type, path, 0, {}});
  crypto_hash_sha256_init(&hash_);
  return Status::Ok();
}

Status UploadSpool::OnData(std::string_view data) {
  if (fd_ < 0) {
    if (value_.size() + data.size() > kMaxFieldBytes) {
      return InvalidArgument("FIELD_TOO_LARGE",
                             "form field '" + current_.name + "' is longer than 64 KiB");
    }
    value_.append(data);
    return Status::Ok();
  }
  crypto_hash_sha256_update(&hash_, reinterpret_cast<const unsigned char*>(data.data()),
                            data.size());
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Internal("cannot write an upload to disk");
    data.remove_prefix(static_cast<std::size_t>(n));
    files_.back().size += static_cast<std::uint64_t>(n);
  }
  return Status::Ok();
}

Status UploadSpool::OnEnd() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&hash_, digest);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    files_.back().sha256 = hex;
  } else {
    fields_.emplace_back(current_.name, std::move(value_));
  }
  return Status::Ok();
}

void UploadSpool::MoveInto(Request& request) {
  request.form_fields = std::move(fields_);
  request.files = files_;
}

}  // namespace reel::http
