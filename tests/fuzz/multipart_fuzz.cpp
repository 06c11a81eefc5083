// The multipart/form-data stream parser, as uploads drive it: a body arrives in chunks of any
// size, so the parse must not depend on where the chunks are cut. The body is parsed whole
// and again in chunks (sizes taken from the input); the parts, their bytes and the outcome
// must be the same. Then UploadSpool (what upload routes use) takes the same chunks into a
// temporary directory, and what it spooled must be what the parser saw, with a matching
// SHA-256.
//
// Input: <content type> '\0' <chunk size bytes> '\0' <body>.

#include <sodium.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_input.hpp"
#include "kit/http/multipart_stream.hpp"
#include "kit/http/upload_spool.hpp"

namespace {

using reel::Status;
using reel::fuzz::Check;
using reel::http::MultipartStreamParser;
using reel::http::PartInfo;

// A body no larger than the parser's own buffering limits (8 KiB of part headers, 64 KiB of
// preamble) parses the same however it is cut; past them, a cut can reach a limit sooner.
constexpr std::size_t kComparableBody = 8 * 1024;

struct Part {
  PartInfo info;
  std::string data;
  bool ended = false;
};

struct Outcome {
  std::vector<Part> parts;
  bool ok = true;
};

bool operator==(const Part& a, const Part& b) {
  return a.info.name == b.info.name && a.info.filename == b.info.filename &&
         a.info.content_type == b.info.content_type && a.data == b.data && a.ended == b.ended;
}

// The chunk lengths to cut `body` into: the given sizes in turn (0 read as 1), repeated.
std::vector<std::string_view> Cut(std::string_view body, std::string_view sizes) {
  std::vector<std::string_view> chunks;
  for (std::size_t i = 0; !body.empty(); ++i) {
    std::size_t n =
        sizes.empty() ? body.size() : static_cast<std::uint8_t>(sizes[i % sizes.size()]);
    if (n == 0) n = 1;
    chunks.push_back(body.substr(0, n));
    body.remove_prefix(std::min(n, body.size()));
  }
  return chunks;
}

Outcome Parse(std::string_view boundary, const std::vector<std::string_view>& chunks) {
  Outcome out;
  MultipartStreamParser parser(boundary, {[&](const PartInfo& info) {
                                            out.parts.push_back({info, {}, false});
                                            return Status::Ok();
                                          },
                                          [&](std::string_view data) {
                                            Check(!out.parts.empty(), "data before a part");
                                            Check(!data.empty(), "an empty data callback");
                                            out.parts.back().data.append(data);
                                            return Status::Ok();
                                          },
                                          [&] {
                                            Check(!out.parts.empty(), "end before a part");
                                            out.parts.back().ended = true;
                                            return Status::Ok();
                                          }});
  for (std::string_view chunk : chunks) {
    if (!parser.Feed(chunk).ok()) {
      out.ok = false;
      return out;
    }
  }
  out.ok = parser.Finish().ok();
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string& SpoolDir() {
  static std::string dir;
  return dir;
}

void RemoveSpoolDir() {
  std::error_code ignored;
  std::filesystem::remove_all(SpoolDir(), ignored);
}

// Spools the chunks and compares the spooled fields and files with the parse.
void CheckSpool(std::string_view boundary, const std::vector<std::string_view>& chunks,
                const Outcome& parsed) {
  reel::http::UploadSpool spool(SpoolDir());
  spool.Begin(boundary);
  for (std::string_view chunk : chunks) {
    if (!spool.Feed(chunk).ok()) return;  // refused: limits the bare parser does not have
  }
  if (!spool.Finish().ok()) return;
  Check(parsed.ok, "the spool accepted a body the parser refused");
  reel::http::Request request;
  spool.MoveInto(request);
  std::size_t field = 0, file = 0;
  for (const Part& part : parsed.parts) {
    if (part.info.filename.empty()) {
      Check(field < request.form_fields.size(), "a text field the spool lost");
      Check(request.form_fields[field].first == part.info.name &&
                request.form_fields[field].second == part.data,
            "a spooled text field differs from the parse");
      ++field;
    } else {
      Check(file < request.files.size(), "a file the spool lost");
      const auto& spooled = request.files[file++];
      Check(spooled.size == part.data.size() && ReadFile(spooled.path) == part.data,
            "a spooled file differs from the parse");
      Check(spooled.sha256 == Sha256Hex(part.data), "a spooled file's SHA-256 is wrong");
    }
  }
  Check(field == request.form_fields.size() && file == request.files.size(),
        "the spool holds parts the parser did not see");
}

void FuzzOne(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::FuzzInput in(data, size);
  const std::string_view content_type = in.Until('\0');
  const std::string_view sizes = in.Until('\0');
  const std::string_view body = in.Rest();
  const std::string_view boundary = reel::http::MultipartBoundary(content_type);
  // The server refuses a multipart type without a boundary before parsing anything.
  if (boundary.empty()) return;

  const Outcome whole = Parse(boundary, {body});
  const auto chunks = Cut(body, sizes);
  const Outcome cut = Parse(boundary, chunks);
  if (body.size() <= kComparableBody) {
    Check(whole.ok == cut.ok, "the outcome depends on how the body is cut");
    Check(whole.parts == cut.parts, "the parts depend on how the body is cut");
  }
  if (whole.ok) {
    for (const Part& part : whole.parts) Check(part.ended, "a part left open in a whole body");
  }
  CheckSpool(boundary, chunks, cut);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (sodium_init() < 0) reel::fuzz::Fail("sodium_init");
  std::string dir = (std::filesystem::temp_directory_path() / "reel-fuzz-spool-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) reel::fuzz::Fail("mkdtemp");
  SpoolDir() = dir;
  std::atexit(RemoveSpoolDir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::OnSmallStack([&] { FuzzOne(data, size); });
  return 0;
}
