// Range and the conditional headers of media responses. ParseRange is checked against a
// resource size from the input (any 64-bit size): a satisfiable range lies inside the
// resource. Then FileResponse answers a GET or HEAD for a real 1000-byte file with the
// input's Range, If-None-Match and If-Range, and what it answers must be consistent: a 206
// slice inside the file with a matching Content-Range, a 416 only for a Range, a 304 only
// for an If-None-Match.
//
// Input: <flags byte> <8 bytes of size> <Range> '\0' <If-None-Match> '\0' <If-Range>.

#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "kit/http/file_response.hpp"

namespace {

using reel::fuzz::Check;
using reel::http::RangeKind;

constexpr std::uint64_t kFileSize = 1000;

std::string& FilePath() {
  static std::string path;
  return path;
}

void RemoveFile() {
  ::unlink(FilePath().c_str());
}

void CheckParseRange(std::string_view header, std::uint64_t size) {
  const auto [kind, range] = reel::http::ParseRange(header, size);
  if (kind == RangeKind::kSatisfiable) {
    Check(size > 0 && range.first <= range.last && range.last < size,
          "a satisfiable range outside the resource");
  }
}

void CheckFileResponse(reel::fuzz::FuzzInput& in, bool head, std::string_view range) {
  reel::http::Request request;
  request.method = head ? "HEAD" : "GET";
  request.path = "/media/x.mp4";
  if (!range.empty()) request.headers.emplace_back("range", std::string(range));
  const std::string_view none_match = in.Until('\0');
  if (!none_match.empty()) request.headers.emplace_back("if-none-match", std::string(none_match));
  const std::string_view if_range = in.Rest();
  if (!if_range.empty()) request.headers.emplace_back("if-range", std::string(if_range));

  auto response = reel::http::FileResponse(request, FilePath(), "video/mp4", "max-age=60", "seed");
  Check(response.ok(), "FileResponse failed on a readable file");
  switch (response->status) {
    case 200:
      Check(head ? !response->file
                 : (response->file && response->file->offset == 0 &&
                    response->file->length == kFileSize),
            "a 200 that is not the whole file");
      break;
    case 206: {
      Check(!head && !range.empty(), "a 206 without a Range, or for HEAD");
      Check(response->file && response->file->length > 0 &&
                response->file->offset + response->file->length <= kFileSize,
            "a 206 slice outside the file");
      const std::string expected =
          "bytes " + std::to_string(response->file->offset) + "-" +
          std::to_string(response->file->offset + response->file->length - 1) + "/" +
          std::to_string(kFileSize);
      Check(response->Header("content-range") == expected, "a 206 Content-Range off its slice");
      break;
    }
    case 416:
      Check(!head && !range.empty() && !response->file, "a 416 without a Range");
      Check(response->Header("content-range") == "bytes */1000", "a 416 Content-Range");
      break;
    case 304:
      Check(!none_match.empty() && !response->file, "a 304 without If-None-Match");
      break;
    default:
      reel::fuzz::Fail("an unexpected status");
  }
}

void FuzzOne(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::FuzzInput in(data, size);
  const std::uint8_t flags = in.Byte();
  std::uint64_t resource_size = in.U64();
  // Small sizes are where the edges are (0, 1, a range ending at the last byte).
  if (flags & 1) resource_size %= 16;
  const std::string_view range = in.Until('\0');
  CheckParseRange(range, resource_size);
  CheckFileResponse(in, (flags & 2) != 0, range);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string path = (std::filesystem::temp_directory_path() / "reel-fuzz-range-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) reel::fuzz::Fail("mkstemp");
  const std::string bytes(kFileSize, 'x');
  if (::write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
    reel::fuzz::Fail("write");
  }
  ::close(fd);
  FilePath() = path;
  std::atexit(RemoveFile);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::OnSmallStack([&] { FuzzOne(data, size); });
  return 0;
}
