#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "kit/status/status.hpp"

namespace reel::http {

/// The headers of one multipart/form-data part that matter to a form.
struct PartInfo {
  std::string name;          // Content-Disposition name
  std::string filename;      // Content-Disposition filename; empty for a text field
  std::string content_type;  // the part's Content-Type, if any
};

/// Parses a multipart/form-data body incrementally, in chunks of any size, so an upload can
/// go to disk as it arrives. Calls `begin` at each part's headers, `data` with its bytes
/// (possibly many times), `end` when it closes. A callback's error stops parsing.
/// Errors: MULTIPART_INVALID (INVALID_ARGUMENT) for a malformed body.
class MultipartStreamParser {
 public:
  struct Callbacks {
    std::function<Status(const PartInfo&)> begin;
    std::function<Status(std::string_view)> data;
    std::function<Status()> end;
  };

  MultipartStreamParser(std::string_view boundary, Callbacks callbacks);

  Status Feed(std::string_view chunk);
  /// Call after the last chunk: fails unless the closing delimiter was seen.
  Status Finish() const;

 private:
  enum class State { kPreamble, kHeaders, kBody, kAfterDelimiter, kDone };

  Status ParseHeaders(std::string_view block);
  Status Step(bool& progressed);

  std::string dash_boundary_;  // "--" + boundary
  std::string delimiter_;      // "\r\n--" + boundary
  Callbacks callbacks_;
  State state_ = State::kPreamble;
  std::string pending_;  // bytes not yet consumed
};

/// "multipart/form-data; boundary=xyz" → "xyz" (unquoted); empty when absent.
std::string_view MultipartBoundary(std::string_view content_type);

}  // namespace reel::http
