#include "kit/http/file_response.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace reel::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCache = "public, max-age=31536000, immutable";
constexpr std::string_view kSeed = "ba7816bf.mp4";
constexpr std::string_view kEtag = "\"ba7816bf.mp4\"";
constexpr std::string_view kLastModified = "Sun, 06 Nov 1994 08:49:37 GMT";
constexpr time_t kMtime = 784111777;  // kLastModified

struct RangeCase {
  std::string_view header;
  std::uint64_t size;
  RangeKind kind;
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

TEST(ParseRangeTest, Table) {
  using enum RangeKind;
  const RangeCase cases[] = {
      {"bytes=0-99", 1000, kSatisfiable, 0, 99},
      {"bytes=100-", 1000, kSatisfiable, 100, 999},
      {"bytes=-500", 1000, kSatisfiable, 500, 999},
      {"bytes=-5000", 1000, kSatisfiable, 0, 999},  // suffix longer than the resource
      {"bytes=900-5000", 1000, kSatisfiable, 900, 999},
      {"bytes=0-99999999999999999999999", 1000, kSatisfiable, 0, 999},
      {"BYTES=5-5", 1000, kSatisfiable, 5, 5},
      {"bytes=0-9,20-29", 1000, kSatisfiable, 0, 29},
      {"bytes=500-, 0-0", 1000, kSatisfiable, 0, 999},
      {"bytes=0-1,5000-", 1000, kSatisfiable, 0, 1},
      {"bytes=0-1,,2-3", 1000, kSatisfiable, 0, 3},
      {"bytes=1000-", 1000, kUnsatisfiable},
      {"bytes=1000-2000", 1000, kUnsatisfiable},
      {"bytes=99999999999999999999999-", 1000, kUnsatisfiable},
      {"bytes=5000-,6000-7000", 1000, kUnsatisfiable},
      {"bytes=-0", 1000, kUnsatisfiable},
      {"bytes=0-", 0, kUnsatisfiable},
      {"bytes=-5", 0, kUnsatisfiable},
      {"bytes=99-10", 1000, kNone},  // reversed
      {"bytes=abc", 1000, kNone},
      {"bytes=1", 1000, kNone},
      {"bytes=-", 1000, kNone},
      {"bytes=--1", 1000, kNone},
      {"bytes=1-2-3", 1000, kNone},
      {"bytes=+1-2", 1000, kNone},
      {"bytes=0x10-", 1000, kNone},
      {"bytes=", 1000, kNone},
      {"bytes=,", 1000, kNone},
      {"bytes=0-1,junk", 1000, kNone},
      {"bytes 0-1", 1000, kNone},
      {"items=0-1", 1000, kNone},
      {"", 1000, kNone},
  };
  for (const auto& c : cases) {
    const auto [kind, range] = ParseRange(c.header, c.size);
    EXPECT_EQ(kind, c.kind) << c.header;
    if (kind == kSatisfiable && c.kind == kSatisfiable) {
      EXPECT_EQ(range.first, c.first) << c.header;
      EXPECT_EQ(range.last, c.last) << c.header;
    }
  }
}

TEST(ContentTypeForExtensionTest, KnownAndUnknown) {
  EXPECT_EQ(ContentTypeForExtension("mp4"), "video/mp4");
  EXPECT_EQ(ContentTypeForExtension("webm"), "video/webm");
  EXPECT_EQ(ContentTypeForExtension("mov"), "video/quicktime");
  EXPECT_EQ(ContentTypeForExtension("jpg"), "image/jpeg");
  EXPECT_EQ(ContentTypeForExtension("JPEG"), "image/jpeg");
  EXPECT_EQ(ContentTypeForExtension("png"), "image/png");
  EXPECT_EQ(ContentTypeForExtension("exe"), "application/octet-stream");
  EXPECT_EQ(ContentTypeForExtension(""), "application/octet-stream");
}

class FileResponseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "reel-file-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    path_ = (dir_ / "object.mp4").string();
    std::ofstream(path_, std::ios::binary) << std::string(100, 'x');
    const timespec times[2] = {{kMtime, 0}, {kMtime, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, path_.c_str(), times, 0), 0);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result<Response> Serve(std::string method, Headers headers = {}) {
    Request request;
    request.method = std::move(method);
    request.path = "/media/x.mp4";
    request.headers = std::move(headers);
    return FileResponse(request, path_, "video/mp4", kCache, kSeed);
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(FileResponseTest, WholeFile) {
  const auto r = Serve("GET");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  ASSERT_TRUE(r->file);
  EXPECT_EQ(r->file->path, path_);
  EXPECT_EQ(r->file->offset, 0u);
  EXPECT_EQ(r->file->length, 100u);
  EXPECT_EQ(r->Header("etag"), kEtag);
  EXPECT_EQ(r->Header("last-modified"), kLastModified);
  EXPECT_EQ(r->Header("accept-ranges"), "bytes");
  EXPECT_EQ(r->Header("cache-control"), kCache);
  EXPECT_EQ(r->Header("content-type"), "video/mp4");
  EXPECT_EQ(r->Header("content-range"), "");
}

TEST_F(FileResponseTest, RangeGivesPartialContent) {
  const auto r = Serve("GET", {{"range", "bytes=10-19"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 206);
  ASSERT_TRUE(r->file);
  EXPECT_EQ(r->file->offset, 10u);
  EXPECT_EQ(r->file->length, 10u);
  EXPECT_EQ(r->Header("content-range"), "bytes 10-19/100");
  EXPECT_EQ(r->Header("etag"), kEtag);
  EXPECT_EQ(r->Header("content-type"), "video/mp4");
}

TEST_F(FileResponseTest, UnsatisfiableRange) {
  const auto r = Serve("GET", {{"range", "bytes=100-"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 416);
  EXPECT_FALSE(r->file);
  EXPECT_EQ(r->Header("content-range"), "bytes */100");
  EXPECT_EQ(r->Header("cache-control"), "");
}

TEST_F(FileResponseTest, InvalidRangeIsIgnored) {
  const auto r = Serve("GET", {{"range", "bytes=19-10"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->file->length, 100u);
}

TEST_F(FileResponseTest, IfNoneMatchGivesNotModified) {
  for (const char* tag :
       {"\"ba7816bf.mp4\"", "W/\"ba7816bf.mp4\"", "\"old\", \"ba7816bf.mp4\"", "*"}) {
    const auto r = Serve("GET", {{"if-none-match", tag}, {"range", "bytes=0-1"}});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 304) << tag;
    EXPECT_FALSE(r->file);
    EXPECT_EQ(r->body, "");
    EXPECT_EQ(r->Header("etag"), kEtag);
    EXPECT_EQ(r->Header("cache-control"), kCache);
  }
  EXPECT_EQ(Serve("GET", {{"if-none-match", "\"other\""}})->status, 200);
}

TEST_F(FileResponseTest, IfRangeDecidesWhetherRangeApplies) {
  const auto stale = Serve("GET", {{"range", "bytes=10-19"}, {"if-range", "\"other\""}});
  EXPECT_EQ(stale->status, 200);
  EXPECT_EQ(stale->file->length, 100u);
  const auto weak = Serve("GET", {{"range", "bytes=10-19"}, {"if-range", "W/\"ba7816bf.mp4\""}});
  EXPECT_EQ(weak->status, 200);  // If-Range needs a strong match
  const auto old_date =
      Serve("GET", {{"range", "bytes=10-19"}, {"if-range", "Mon, 07 Nov 1994 08:49:37 GMT"}});
  EXPECT_EQ(old_date->status, 200);

  EXPECT_EQ(Serve("GET", {{"range", "bytes=10-19"}, {"if-range", std::string(kEtag)}})->status,
            206);
  EXPECT_EQ(
      Serve("GET", {{"range", "bytes=10-19"}, {"if-range", std::string(kLastModified)}})->status,
      206);
}

TEST_F(FileResponseTest, HeadHasHeadersButNoBody) {
  const auto r = Serve("HEAD");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_FALSE(r->file);
  EXPECT_EQ(r->Header("content-length"), "100");
  EXPECT_EQ(r->Header("etag"), kEtag);
  EXPECT_EQ(r->Header("content-type"), "video/mp4");
  // Range handling is defined for GET only (RFC 9110 §14.2).
  const auto ranged = Serve("HEAD", {{"range", "bytes=10-19"}});
  EXPECT_EQ(ranged->status, 200);
  EXPECT_EQ(ranged->Header("content-length"), "100");
}

TEST_F(FileResponseTest, EmptyFile) {
  std::ofstream(path_, std::ios::trunc);
  const auto r = Serve("GET");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->file->length, 0u);
  EXPECT_EQ(Serve("GET", {{"range", "bytes=0-"}})->status, 416);
}

TEST_F(FileResponseTest, MissingFileIsMediaNotFound) {
  fs::remove(path_);
  const auto r = Serve("GET");
  EXPECT_EQ(r.status().code, Code::kNotFound);
  EXPECT_EQ(r.status().reason, "MEDIA_NOT_FOUND");
}

TEST_F(FileResponseTest, SymlinksAndDirectoriesAreRefused) {
  const std::string link = (dir_ / "link.mp4").string();
  fs::create_symlink(path_, link);
  Request request;
  request.method = "GET";
  EXPECT_EQ(FileResponse(request, link, "video/mp4", kCache, kSeed).status().reason,
            "MEDIA_NOT_FOUND");
  EXPECT_EQ(FileResponse(request, dir_.string(), "video/mp4", kCache, kSeed).status().reason,
            "MEDIA_NOT_FOUND");
}

// A resource known only by its size and date (an object in S3): the same answers, with the
// bytes to send left to the caller.
TEST(ResourceResponseTest, AnswersLikeAFileAndNamesTheBytesToSend) {
  Request request;
  request.method = "GET";
  const ResourceInfo info{1000, std::string(kLastModified)};
  ResourceAnswer whole = ResourceResponse(request, info, "video/mp4", kCache, kSeed);
  EXPECT_EQ(whole.response.status, 200);
  EXPECT_TRUE(whole.has_body);
  EXPECT_EQ(whole.offset, 0u);
  EXPECT_EQ(whole.length, 1000u);
  EXPECT_FALSE(whole.response.file);
  EXPECT_EQ(whole.response.Header("last-modified"), kLastModified);

  request.headers = {{"range", "bytes=-100"}};
  ResourceAnswer tail = ResourceResponse(request, info, "video/mp4", kCache, kSeed);
  EXPECT_EQ(tail.response.status, 206);
  EXPECT_EQ(tail.offset, 900u);
  EXPECT_EQ(tail.length, 100u);
  EXPECT_EQ(tail.response.Header("content-range"), "bytes 900-999/1000");

  request.headers = {{"range", "bytes=1000-"}};
  ResourceAnswer refused = ResourceResponse(request, info, "video/mp4", kCache, kSeed);
  EXPECT_EQ(refused.response.status, 416);
  EXPECT_FALSE(refused.has_body);

  request.headers = {{"if-none-match", std::string(kEtag)}};
  EXPECT_EQ(ResourceResponse(request, info, "video/mp4", kCache, kSeed).response.status, 304);

  request.method = "HEAD";
  request.headers = {};
  ResourceAnswer head = ResourceResponse(request, info, "video/mp4", kCache, kSeed);
  EXPECT_FALSE(head.has_body);
  EXPECT_EQ(head.response.Header("content-length"), "1000");
}

TEST(ResourceResponseTest, WithoutADateOnlyTheEtagMatchesIfRange) {
  Request request;
  request.method = "GET";
  const ResourceInfo info{1000, ""};
  request.headers = {{"range", "bytes=0-9"}, {"if-range", std::string(kLastModified)}};
  ResourceAnswer dated = ResourceResponse(request, info, "video/mp4", kCache, kSeed);
  EXPECT_EQ(dated.response.status, 200) << "a date cannot match an unknown Last-Modified";
  EXPECT_EQ(dated.response.Header("last-modified"), "");
  request.headers = {{"range", "bytes=0-9"}, {"if-range", std::string(kEtag)}};
  EXPECT_EQ(ResourceResponse(request, info, "video/mp4", kCache, kSeed).response.status, 206);
}

TEST(HttpDateTest, IsImfFixdate) {
  EXPECT_EQ(HttpDate(kMtime), kLastModified);
}

}  // namespace
}  // namespace reel::http
