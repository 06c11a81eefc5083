#pragma once

#include <sodium.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kit/http/message.hpp"
#include "kit/http/multipart_stream.hpp"

namespace reel::http {

/// Receives one multipart upload as it streams in: file parts go to temp files in `dir`
/// (never to memory) and are hashed (SHA-256) on the way, text fields are kept (at most
/// 64 KiB each). Every file it created is
/// deleted when the spool is destroyed, so a refused or failed upload leaves nothing behind;
/// a handler that keeps a file moves it elsewhere first. One request at a time.
class UploadSpool {
 public:
  explicit UploadSpool(std::string dir);
  ~UploadSpool();
  UploadSpool(const UploadSpool&) = delete;
  UploadSpool& operator=(const UploadSpool&) = delete;

  void Begin(std::string_view boundary);
  /// Errors: MULTIPART_INVALID, FIELD_TOO_LARGE (INVALID_ARGUMENT), INTERNAL (disk).
  Status Feed(std::string_view chunk);
  Status Finish();

  /// Gives `request` the text fields and descriptions of the spooled files.
  void MoveInto(Request& request);

 private:
  Status OnBegin(const PartInfo& part);
  Status OnData(std::string_view data);
  Status OnEnd();

  std::string dir_;
  std::unique_ptr<MultipartStreamParser> parser_;
  std::vector<std::pair<std::string, std::string>> fields_;
  std::vector<UploadedFile> files_;
  std::vector<std::string> created_;  // every temp path, for cleanup
  PartInfo current_;
  int fd_ = -1;
  crypto_hash_sha256_state hash_;
  std::string value_;
};

}  // namespace reel::http
