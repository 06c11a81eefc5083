#include "kit/http/file_response.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <limits>
#include <system_error>

namespace reel::http {
namespace {

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

struct ExtensionType {
  std::string_view extension;
  std::string_view content_type;
};

constexpr ExtensionType kContentTypes[] = {
    {"mp4", "video/mp4"},  {"webm", "video/webm"}, {"mov", "video/quicktime"},
    {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"},
};

char ToLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualsNoCase(std::string_view text, std::string_view lower) {
  return text.size() == lower.size() && std::equal(text.begin(), text.end(), lower.begin(),
                                                   [](char a, char b) { return ToLower(a) == b; });
}

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Non-empty decimal digits. Values past 2^64 saturate: a position that large lies beyond any
// file, which is what it means.
bool ParseDigits(std::string_view text, std::uint64_t& value) {
  if (text.empty()) return false;
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    value = value > (kMaxU64 - digit) / 10 ? kMaxU64 : value * 10 + digit;
  }
  return true;
}

// One range-spec; kNone when it is malformed.
std::pair<RangeKind, ByteRange> ParseSpec(std::string_view spec, std::uint64_t size) {
  constexpr std::pair<RangeKind, ByteRange> kInvalid{RangeKind::kNone, {}};
  constexpr std::pair<RangeKind, ByteRange> kOutside{RangeKind::kUnsatisfiable, {}};
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return kInvalid;
  const std::string_view first_text = spec.substr(0, dash);
  const std::string_view last_text = spec.substr(dash + 1);
  if (first_text.empty()) {  // suffix: the last N bytes
    std::uint64_t length = 0;
    if (!ParseDigits(last_text, length)) return kInvalid;
    if (length == 0 || size == 0) return kOutside;
    return {RangeKind::kSatisfiable, {size - std::min(length, size), size - 1}};
  }
  std::uint64_t first = 0;
  std::uint64_t last = kMaxU64;
  if (!ParseDigits(first_text, first)) return kInvalid;
  if (!last_text.empty() && (!ParseDigits(last_text, last) || last < first)) return kInvalid;
  if (first >= size) return kOutside;
  return {RangeKind::kSatisfiable, {first, std::min(last, size - 1)}};
}

// The seed between quotes, keeping only characters an entity-tag may hold, so a key can
// never break the header.
std::string QuotedEtag(std::string_view seed) {
  std::string etag = "\"";
  for (char c : seed) {
    if (c == 0x21 || (c >= 0x23 && c <= 0x7e)) etag += c;
  }
  etag += '"';
  return etag;
}

// If-None-Match uses the weak comparison: W/"x" matches "x".
bool NoneMatchHits(std::string_view header, std::string_view etag) {
  if (TrimOws(header) == "*") return true;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view tag = TrimOws(header.substr(0, comma));
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

// If-Range holds when absent, or when it is exactly our (strong) ETag or Last-Modified.
bool IfRangeHolds(std::string_view header, std::string_view etag, std::string_view last_modified) {
  header = TrimOws(header);
  return header.empty() || header == etag || header == last_modified;
}

Response WithValidators(int status, std::string_view etag, std::string_view cache_control) {
  Response r;
  r.status = status;
  r.SetHeader("etag", std::string(etag));
  if (!cache_control.empty()) r.SetHeader("cache-control", std::string(cache_control));
  return r;
}

}  // namespace

std::string_view ContentTypeForExtension(std::string_view ext) {
  for (const auto& row : kContentTypes) {
    if (EqualsNoCase(ext, row.extension)) return row.content_type;
  }
  return "application/octet-stream";
}

std::pair<RangeKind, ByteRange> ParseRange(std::string_view header, std::uint64_t size) {
  constexpr std::pair<RangeKind, ByteRange> kIgnore{RangeKind::kNone, {}};
  constexpr std::string_view kUnit = "bytes=";
  header = TrimOws(header);
  if (header.size() < kUnit.size() || !EqualsNoCase(header.substr(0, kUnit.size()), kUnit)) {
    return kIgnore;
  }
  std::string_view rest = header.substr(kUnit.size());
  bool any_spec = false;
  bool any_satisfiable = false;
  ByteRange span{kMaxU64, 0};
  for (;;) {
    const auto comma = rest.find(',');
    // The list syntax admits empty elements ("0-1, ,5-6"); they count for nothing.
    const std::string_view spec = TrimOws(rest.substr(0, comma));
    if (!spec.empty()) {
      any_spec = true;
      const auto [kind, range] = ParseSpec(spec, size);
      if (kind == RangeKind::kNone) return kIgnore;
      if (kind == RangeKind::kSatisfiable) {
        any_satisfiable = true;
        span.first = std::min(span.first, range.first);
        span.last = std::max(span.last, range.last);
      }
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (!any_spec) return kIgnore;
  if (!any_satisfiable) return {RangeKind::kUnsatisfiable, {}};
  return {RangeKind::kSatisfiable, span};
}

// Spelled out by hand: strftime's names follow the locale.
std::string HttpDate(std::time_t when) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&when, &tm);
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return text;
}

ResourceAnswer ResourceResponse(const Request& request, const ResourceInfo& info,
                                std::string_view content_type, std::string_view cache_control,
                                std::string_view etag_seed) {
  const std::uint64_t size = info.size;
  const std::string etag = QuotedEtag(etag_seed);
  ResourceAnswer answer;
  if (NoneMatchHits(request.Header("if-none-match"), etag)) {
    answer.response = WithValidators(304, etag, cache_control);
    return answer;
  }

  const std::string& last_modified = info.last_modified;
  const bool head = request.method == "HEAD";
  ByteRange slice{0, size == 0 ? 0 : size - 1};
  bool partial = false;
  const std::string_view range_header = request.Header("range");
  // (With no Last-Modified known, only the ETag can match: a trimmed If-Range is never "".)
  if (!head && !range_header.empty() &&
      IfRangeHolds(request.Header("if-range"), etag, last_modified)) {
    const auto [kind, range] = ParseRange(range_header, size);
    if (kind == RangeKind::kUnsatisfiable) {
      // No Cache-Control here: a long-lived policy must not make a cache keep the refusal.
      answer.response.status = 416;
      answer.response.SetHeader("content-range", "bytes */" + std::to_string(size));
      answer.response.SetHeader("accept-ranges", "bytes");
      return answer;
    }
    partial = kind == RangeKind::kSatisfiable;
    if (partial) slice = range;
  }

  Response r = WithValidators(partial ? 206 : 200, etag, cache_control);
  if (!last_modified.empty()) r.SetHeader("last-modified", last_modified);
  r.SetHeader("accept-ranges", "bytes");
  if (!content_type.empty()) r.SetHeader("content-type", std::string(content_type));
  const std::uint64_t length = partial ? slice.last - slice.first + 1 : size;
  if (partial) {
    r.SetHeader("content-range", "bytes " + std::to_string(slice.first) + "-" +
                                     std::to_string(slice.last) + "/" + std::to_string(size));
  }
  if (head) {
    r.SetHeader("content-length", std::to_string(length));
  } else {
    answer.has_body = true;
    answer.offset = partial ? slice.first : 0;
    answer.length = length;
  }
  answer.response = std::move(r);
  return answer;
}

Result<Response> FileResponse(const Request& request, const std::string& path,
                              std::string_view content_type, std::string_view cache_control,
                              std::string_view etag_seed) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return NotFound("MEDIA_NOT_FOUND", "no such media");
    return Internal("cannot examine media: " + std::generic_category().message(errno));
  }
  // lstat reports a symlink as itself, so a planted link is simply not a regular file.
  if (!S_ISREG(st.st_mode)) return NotFound("MEDIA_NOT_FOUND", "no such media");
  const ResourceInfo info{static_cast<std::uint64_t>(st.st_size), HttpDate(st.st_mtime)};
  ResourceAnswer answer = ResourceResponse(request, info, content_type, cache_control, etag_seed);
  if (answer.has_body) answer.response.file = FileSlice{path, answer.offset, answer.length};
  return std::move(answer.response);
}

}  // namespace reel::http
