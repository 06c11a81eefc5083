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
///
/// Files are named `reel-upload-<pid>.<start>-XXXXXX`: the writing process's id and start
/// time (clock ticks since boot), so RemoveStaleUploads can tell a file whose writer died
/// (a crash mid-upload) from one still being written by another process on the same dir.
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

/// Removes the spool files in `dir` that no process will finish or delete: those whose
/// writer (named in the file name) no longer runs, which includes an earlier process that had
/// this process's id (a restarted container), and files of the older unnamed form
/// (`reel-upload-XXXXXX`) untouched for an hour. Files of running processes stay, whatever
/// their age; other files are never touched. Returns how many were removed. Errors
/// (unreadable directory, a file gone meanwhile) are skipped: this is housekeeping.
/// The writer check reads /proc: on a spool directory shared between machines or pid
/// namespaces, give each its own directory.
std::size_t RemoveStaleUploads(const std::string& dir);

}  // namespace reel::http
