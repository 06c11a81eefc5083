#include "kit/http/upload_spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace reel::http {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxFieldBytes = 64 * 1024;
constexpr std::size_t kMaxFields = 64;
constexpr std::string_view kPrefix = "reel-upload-";
// Files of the unnamed form carry no writer; an upload in progress is written to at least
// every read timeout (60 s) and handled within minutes, so an hour of quiet means abandoned.
constexpr auto kUnnamedStaleAfter = std::chrono::hours(1);

// A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), which
// together with its id names one process for the whole uptime; nothing when it does not run.
std::optional<std::uint64_t> StartTicks(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat;
  if (!in || !std::getline(in, stat)) return std::nullopt;
  // The command name (field 2) is in parentheses and may hold anything, spaces included.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int index = 3; index <= 22 && fields >> field; ++index) {
    if (index != 22) continue;
    std::uint64_t ticks = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), ticks);
    if (ec == std::errc() && end == field.data() + field.size()) return ticks;
  }
  return std::nullopt;
}

// "<pid>.<start ticks>" of this process, or "<pid>.0" where /proc cannot be read.
const std::string& WriterTag() {
  static const std::string tag = [] {
    const std::string pid = std::to_string(::getpid());
    return pid + "." + std::to_string(StartTicks(pid).value_or(0));
  }();
  return tag;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Whether the file named `name` (after the prefix) should go. `age` is how long it has been
// untouched; `proc` whether processes can be looked up at all (without /proc, age decides).
bool Stale(std::string_view name, fs::file_time_type::duration age, bool proc) {
  const bool old = age > kUnnamedStaleAfter;
  // "<pid>.<ticks>-XXXXXX", or the older "XXXXXX".
  const auto dash = name.rfind('-');
  const auto dot = name.find('.');
  if (dash == std::string_view::npos || dot == std::string_view::npos || dot > dash) return old;
  const std::string_view pid = name.substr(0, dot);
  const std::string_view ticks = name.substr(dot + 1, dash - dot - 1);
  if (!AllDigits(pid) || !AllDigits(ticks)) return false;  // not ours to judge
  if (!proc) return old;
  const auto running = StartTicks(std::string(pid));
  if (!running) return true;  // no such process
  // The writer could not read its start time: a running process of that id may be it.
  if (ticks == "0") return old;
  return std::to_string(*running) != ticks;  // that id now belongs to another process
}

}  // namespace

std::size_t RemoveStaleUploads(const std::string& dir) {
  std::size_t removed = 0;
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  const bool proc = StartTicks(std::to_string(::getpid())).has_value();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(kPrefix)) continue;
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec) || file_ec) continue;
    const auto written = fs::last_write_time(it->path(), file_ec);
    if (file_ec) continue;
    if (!Stale(std::string_view(name).substr(kPrefix.size()), now - written, proc)) continue;
    if (fs::remove(it->path(), file_ec)) ++removed;
  }
  return removed;
}

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
  std::string path = dir_ + "/" + std::string(kPrefix) + WriterTag() + "-XXXXXX";
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
