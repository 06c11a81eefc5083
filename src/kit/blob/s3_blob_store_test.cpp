#include "kit/blob/s3_blob_store.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "kit/blob/s3_presigned_urls.hpp"
#include "kit/blob/s3_range_reader.hpp"

namespace reel::blob {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// key=value lines, as scripts/engines writes DIR/credentials.
std::map<std::string, std::string> ReadSettings(const fs::path& path) {
  std::map<std::string, std::string> settings;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) settings[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return settings;
}

std::string FirstLine(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The options of the s3rver that scripts/engines started in `dir`.
S3Options OptionsFor(const fs::path& dir, const fs::path& cache_dir) {
  const auto credentials = ReadSettings(dir / "credentials");
  S3Options options;
  options.endpoint = "http://127.0.0.1:" + FirstLine(dir / "port");
  options.bucket = FirstLine(dir / "bucket");
  options.region = credentials.at("region");
  options.access_key = credentials.at("access_key");
  options.secret_key = credentials.at("secret_key");
  options.cache_dir = cache_dir.string();
  options.connect_timeout = 1000ms;
  options.stall_timeout = 10s;
  return options;
}

// GETs `url` with the curl program (no credentials); returns the HTTP status.
int CurlStatus(const std::string& url, const fs::path& body) {
  const std::string command =
      "curl -s -o '" + body.string() + "' -w '%{http_code}' -m 10 '" + url + "'";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[16] = {};
  const std::size_t read = std::fread(buffer, 1, sizeof buffer - 1, pipe);
  ::pclose(pipe);
  return read == 0 ? -1 : std::atoi(buffer);
}

class S3BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* s3_dir = std::getenv("REEL_TEST_S3_DIR");
    if (s3_dir == nullptr) GTEST_SKIP() << "REEL_TEST_S3_DIR is unset (ctest sets it: fixture s3)";
    s3_dir_ = s3_dir;
    std::string templ = (fs::temp_directory_path() / "reel-s3-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    store_ = std::make_unique<S3BlobStore>(OptionsFor(s3_dir_, dir_ / "cache"), clock_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // A source file of `size` random bytes and its content-address key.
  std::pair<std::string, std::string> Source(std::size_t size, const std::string& ext = "mp4") {
    std::string bytes(size, '\0');
    std::mt19937_64 random(std::random_device{}());
    for (auto& byte : bytes) byte = static_cast<char>(random());
    const fs::path path = dir_ / ("source-" + std::to_string(sources_++));
    std::ofstream(path, std::ios::binary) << bytes;
    auto hash = Sha256OfFile(path.string());
    EXPECT_TRUE(hash.ok());
    return {path.string(), *hash + "." + ext};
  }

  SystemClock clock_;
  // How many parts of `key` the suite's s3rver logged (scripts/engines keeps its request log).
  int PartsLogged(const std::string& key) const {
    const std::string log = ReadFile(s3_dir_ / "s3rver.log");
    const std::string needle = key + "?partNumber=";
    int parts = 0;
    for (auto at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) {
      ++parts;
    }
    return parts;
  }

  fs::path s3_dir_;
  fs::path dir_;
  int sources_ = 0;
  std::unique_ptr<S3BlobStore> store_;
};

TEST_F(S3BlobStoreTest, PutExistsSizeLocalPathDeleteRoundTrip) {
  const auto [source, key] = Source(1000);
  const std::string bytes = ReadFile(source);
  EXPECT_FALSE(store_->Exists(key));
  ASSERT_TRUE(store_->PutFile(key, source).ok());
  EXPECT_FALSE(fs::exists(source)) << "the store takes the source";
  EXPECT_EQ(PartsLogged(key), 0) << "below the threshold: one PUT";
  EXPECT_TRUE(store_->Exists(key));
  auto size = store_->Size(key);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 1000u);
  auto path = store_->LocalPath(key);
  ASSERT_TRUE(path.ok()) << path.status().message;
  EXPECT_EQ(ReadFile(*path), bytes);
  EXPECT_EQ(fs::path(*path).parent_path(), dir_ / "cache");
  EXPECT_EQ(store_->LocalPath(key).value(), *path);

  ASSERT_TRUE(store_->Delete(key).ok());
  EXPECT_FALSE(store_->Exists(key));
  EXPECT_EQ(store_->Size(key).status().reason, "BLOB_NOT_FOUND");
  EXPECT_FALSE(fs::exists(*path)) << "the cached copy goes with the object";
  EXPECT_TRUE(store_->Delete(key).ok()) << "deleting an absent key succeeds";
}

TEST_F(S3BlobStoreTest, PutOfAnExistingKeyKeepsTheObjectAndTakesTheSource) {
  const auto [source, key] = Source(300);
  const fs::path copy = dir_ / "copy";
  fs::copy_file(source, copy);
  ASSERT_TRUE(store_->PutFile(key, source).ok());
  ASSERT_TRUE(store_->PutFile(key, copy.string()).ok());
  EXPECT_FALSE(fs::exists(copy));
  EXPECT_EQ(store_->Size(key).value(), 300u);
  EXPECT_TRUE(store_->Delete(key).ok());
}

TEST_F(S3BlobStoreTest, MultipartUploadKeepsEveryByte) {
  S3Options options = store_->options();
  options.multipart_threshold = 5ull << 20;
  options.part_size = 5ull << 20;
  S3BlobStore store(options, clock_);
  const std::size_t size = (12ull << 20) + 123;  // three parts, the last short
  const auto [source, key] = Source(size);
  const std::string bytes = ReadFile(source);
  ASSERT_TRUE(store.PutFile(key, source).ok());
  EXPECT_FALSE(fs::exists(source));
  EXPECT_EQ(PartsLogged(key), 3);
  EXPECT_EQ(store.Size(key).value(), size);
  auto path = store.LocalPath(key);
  ASSERT_TRUE(path.ok());
  EXPECT_TRUE(ReadFile(*path) == bytes) << "the downloaded object differs from the upload";
  // A range across the boundary of parts 1 and 2.
  const std::uint64_t boundary = 5ull << 20;
  EXPECT_TRUE(store.ReadRange(key, boundary - 10, 20).value() == bytes.substr(boundary - 10, 20));
  EXPECT_TRUE(store.Delete(key).ok());
}

// The source shrinks to nothing while its parts go up (truncated once s3rver has logged the
// first part), so a later part cannot be read: the upload fails as INTERNAL, keeps the source,
// and asks the server to abort it. s3rver 3.7 answers AbortMultipartUpload with 405 (not
// implemented), so what can be checked is that the abort was sent: the only request on
// "<key>?uploadId=" of an upload that never completes.
TEST_F(S3BlobStoreTest, MultipartUploadThatFailsIsAbortedAndKeepsTheSource) {
  S3Options options = store_->options();
  options.multipart_threshold = 5ull << 20;
  options.part_size = 5ull << 20;
  S3BlobStore store(options, clock_);
  const auto [source, key] = Source(100ull << 20);  // 20 parts: far longer than the poll below
  Status put;
  std::thread uploader([&, key = key, source = source] { put = store.PutFile(key, source); });
  for (int waited = 0; waited < 10000 && PartsLogged(key) == 0; ++waited) {
    std::this_thread::sleep_for(1ms);
  }
  fs::resize_file(source, 0);
  uploader.join();
  EXPECT_EQ(put.code, Code::kInternal) << put.message;
  EXPECT_TRUE(fs::exists(source));
  EXPECT_LT(PartsLogged(key), 20);
  EXPECT_FALSE(store.Exists(key));
  EXPECT_NE(ReadFile(s3_dir_ / "s3rver.log").find(key + "?uploadId="), std::string::npos)
      << "no AbortMultipartUpload sent";
}

TEST_F(S3BlobStoreTest, ReadRangeReturnsTheBytesAsked) {
  const auto [source, key] = Source(4096);
  const std::string bytes = ReadFile(source);
  ASSERT_TRUE(store_->PutFile(key, source).ok());
  EXPECT_TRUE(store_->ReadRange(key, 0, 1).value() == bytes.substr(0, 1));
  EXPECT_TRUE(store_->ReadRange(key, 1000, 500).value() == bytes.substr(1000, 500));
  EXPECT_TRUE(store_->ReadRange(key, 4000, 500).value() == bytes.substr(4000))
      << "a range past the end stops at the end";
  EXPECT_EQ(store_->ReadRange(key, 0, 0).value(), "");
  EXPECT_EQ(store_->ReadRange(key, 5000, 10).status().reason, "BLOB_RANGE_INVALID");
  EXPECT_TRUE(store_->Delete(key).ok());
}

TEST_F(S3BlobStoreTest, AbsentAndInvalidKeys) {
  const std::string absent = std::string(64, 'e') + ".mp4";
  EXPECT_FALSE(store_->Exists(absent));
  EXPECT_EQ(store_->Size(absent).status().code, Code::kNotFound);
  EXPECT_EQ(store_->Size(absent).status().reason, "BLOB_NOT_FOUND");
  EXPECT_EQ(store_->LocalPath(absent).status().reason, "BLOB_NOT_FOUND");
  EXPECT_EQ(store_->ReadRange(absent, 0, 10).status().reason, "BLOB_NOT_FOUND");
  EXPECT_TRUE(!fs::exists(dir_ / "cache") || fs::is_empty(dir_ / "cache"))
      << "a failed download leaves no file behind";

  const auto [source, key] = Source(10);
  for (const std::string& bad :
       {std::string("../x.mp4"), std::string(64, 'a') + ".MP4", std::string()}) {
    EXPECT_FALSE(store_->Exists(bad));
    EXPECT_EQ(store_->PutFile(bad, source).reason, "BLOB_KEY_INVALID");
    EXPECT_EQ(store_->Size(bad).status().reason, "BLOB_KEY_INVALID");
    EXPECT_EQ(store_->LocalPath(bad).status().reason, "BLOB_KEY_INVALID");
    EXPECT_EQ(store_->Delete(bad).reason, "BLOB_KEY_INVALID");
    EXPECT_EQ(store_->PresignedGetUrl(bad, 60s).status().reason, "BLOB_KEY_INVALID");
  }
  EXPECT_TRUE(fs::exists(source));
  EXPECT_EQ(store_->PutFile(key, (dir_ / "no-such-file").string()).code, Code::kInternal);
  EXPECT_FALSE(store_->Exists(key));
}

TEST_F(S3BlobStoreTest, PresignedUrlServesTheBytesWithoutCredentials) {
  const auto [source, key] = Source(2048);
  const std::string bytes = ReadFile(source);
  ASSERT_TRUE(store_->PutFile(key, source).ok());
  auto url = store_->PresignedGetUrl(key, 300s);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->rfind(store_->options().endpoint + "/" + store_->options().bucket + "/" + key, 0),
            0u);
  EXPECT_EQ(CurlStatus(*url, dir_ / "fetched"), 200);
  EXPECT_TRUE(ReadFile(dir_ / "fetched") == bytes);
  EXPECT_EQ(store_->PresignedGetUrl(key, 0s).status().reason, "BLOB_URL_EXPIRY_INVALID");
  EXPECT_EQ(store_->PresignedGetUrl(key, 8 * 24h).status().reason, "BLOB_URL_EXPIRY_INVALID");
  EXPECT_TRUE(store_->Delete(key).ok());
}

// s3rver checks a presigned URL's expiry and access key but not its signature (its SigV4
// verification is unimplemented), so a tampered signature cannot be tested against it; the
// signature itself is checked against AWS's published example (s3_presign_test.cpp).
TEST_F(S3BlobStoreTest, ExpiredOrForeignPresignedUrlIsRefused) {
  const auto [source, key] = Source(100);
  ASSERT_TRUE(store_->PutFile(key, source).ok());
  ManualClock two_hours_ago(std::chrono::system_clock::now() - 2h);
  S3BlobStore past(store_->options(), two_hours_ago);
  EXPECT_EQ(CurlStatus(past.PresignedGetUrl(key, 3600s).value(), dir_ / "expired"), 403);
  EXPECT_NE(ReadFile(dir_ / "expired").find("expired"), std::string::npos);

  S3Options foreign_options = store_->options();
  foreign_options.access_key = "NOT-S3RVER";
  S3BlobStore foreign(foreign_options, clock_);
  EXPECT_EQ(CurlStatus(foreign.PresignedGetUrl(key, 300s).value(), dir_ / "foreign"), 403);
  EXPECT_TRUE(store_->Delete(key).ok());
}

TEST_F(S3BlobStoreTest, VirtualHostStyleNamesTheBucketInTheHost) {
  S3Options options = store_->options();
  options.endpoint = "https://s3.example.com";
  options.path_style = false;
  S3BlobStore store(options, clock_);
  const std::string key = std::string(64, 'a') + ".jpg";
  EXPECT_EQ(store.PresignedGetUrl(key, 60s).value().rfind(
                "https://" + options.bucket + ".s3.example.com/" + key + "?X-Amz-Algorithm=", 0),
            0u);
}

TEST_F(S3BlobStoreTest, MissingBucketIsUnavailable) {
  S3Options options = store_->options();
  options.bucket = "no-such-bucket";
  S3BlobStore store(options, clock_);
  const auto [source, key] = Source(64);
  const Status put = store.PutFile(key, source);
  EXPECT_EQ(put.code, Code::kUnavailable) << put.message;
  EXPECT_EQ(put.reason, "BLOB_STORE_UNAVAILABLE");
  EXPECT_TRUE(fs::exists(source));
  EXPECT_EQ(store.LocalPath(key).status().reason, "BLOB_STORE_UNAVAILABLE");
  EXPECT_EQ(store.Stat(key).status().reason, "BLOB_STORE_UNAVAILABLE") << "a HEAD, asked again";
  EXPECT_EQ(store.Size(key).status().reason, "BLOB_STORE_UNAVAILABLE");
  EXPECT_EQ(store.OpenRange(key, 0, 8).status().reason, "BLOB_STORE_UNAVAILABLE");
}

// A server of its own, so stopping it disturbs no other test.
TEST_F(S3BlobStoreTest, StoppedServerIsUnavailable) {
  const fs::path own = dir_ / "own-s3";
  const std::string engines = REEL_ENGINES_SCRIPT;
  ASSERT_EQ(std::system((engines + " s3 start '" + own.string() + "' >/dev/null 2>&1").c_str()), 0);
  S3BlobStore store(OptionsFor(own, dir_ / "own-cache"), clock_);
  const auto [stored_source, stored] = Source(64);
  ASSERT_TRUE(store.PutFile(stored, stored_source).ok());
  ASSERT_EQ(std::system((engines + " s3 kill '" + own.string() + "'").c_str()), 0);

  const auto [source, key] = Source(64);
  const Status put = store.PutFile(key, source);
  EXPECT_EQ(put.code, Code::kUnavailable);
  EXPECT_EQ(put.reason, "BLOB_STORE_UNAVAILABLE");
  EXPECT_TRUE(fs::exists(source)) << "a failed put leaves the source where it was";
  EXPECT_EQ(store.Size(stored).status().reason, "BLOB_STORE_UNAVAILABLE");
  EXPECT_EQ(store.LocalPath(stored).status().reason, "BLOB_STORE_UNAVAILABLE");
  EXPECT_EQ(store.ReadRange(stored, 0, 8).status().reason, "BLOB_STORE_UNAVAILABLE");
  EXPECT_EQ(store.Stat(stored).status().reason, "BLOB_STORE_UNAVAILABLE");
  EXPECT_EQ(store.OpenRange(stored, 0, 8).status().reason, "BLOB_STORE_UNAVAILABLE");
  EXPECT_EQ(store.Delete(stored).reason, "BLOB_STORE_UNAVAILABLE");
  EXPECT_FALSE(store.Exists(stored));
}

// Everything `reader` yields, read `chunk` bytes at a time; stops at an error (returned).
Result<std::string> ReadAll(BlobReader& reader, std::size_t chunk) {
  std::string out;
  std::string buffer(chunk, '\0');
  for (int reads = 0; reads < 1'000'000; ++reads) {
    auto got = reader.Read(buffer.data(), buffer.size());
    if (!got.ok()) return got.status();
    if (*got == 0) return out;
    out.append(buffer.data(), *got);
  }
  return Internal("the reader never ended");
}

TEST_F(S3BlobStoreTest, StatReportsSizeAndLastModified) {
  const auto [source, key] = Source(777);
  ASSERT_TRUE(store_->PutFile(key, source).ok());
  auto info = store_->Stat(key);
  ASSERT_TRUE(info.ok()) << info.status().message;
  EXPECT_EQ(info->size, 777u);
  EXPECT_TRUE(info->last_modified.ends_with(" GMT")) << info->last_modified;
  EXPECT_EQ(store_->Stat(std::string(64, 'e') + ".mp4").status().reason, "BLOB_NOT_FOUND");
  EXPECT_EQ(store_->Stat("../x.mp4").status().reason, "BLOB_KEY_INVALID");
  EXPECT_TRUE(store_->Delete(key).ok());
}

// More than S3RangeReader::kAheadBytes, so the transfer has to wait for the reader.
TEST_F(S3BlobStoreTest, OpenRangeYieldsExactlyTheBytesAsked) {
  const std::size_t size = 3 * S3RangeReader::kAheadBytes + 17;
  const auto [source, key] = Source(size);
  const std::string bytes = ReadFile(source);
  ASSERT_TRUE(store_->PutFile(key, source).ok());
  struct Case {
    std::uint64_t offset, length;
  };
  for (const Case c :
       {Case{0, size}, Case{100, size - 100}, Case{12345, 2 * S3RangeReader::kAheadBytes},
        Case{0, 1}, Case{size - 1, 1}}) {
    auto reader = store_->OpenRange(key, c.offset, c.length);
    ASSERT_TRUE(reader.ok()) << reader.status().message;
    auto read = ReadAll(**reader, 10'000);
    ASSERT_TRUE(read.ok()) << read.status().message;
    EXPECT_EQ(read->size(), c.length) << c.offset;
    EXPECT_TRUE(*read == bytes.substr(c.offset, c.length)) << c.offset << "+" << c.length;
  }
  EXPECT_EQ(store_->OpenRange(key, size, 10).status().reason, "BLOB_RANGE_INVALID");
  EXPECT_EQ(store_->OpenRange(key, 0, 0).status().reason, "BLOB_RANGE_INVALID");
  EXPECT_EQ(store_->OpenRange(std::string(64, 'e') + ".mp4", 0, 10).status().reason,
            "BLOB_NOT_FOUND");
  EXPECT_FALSE(fs::exists(dir_ / "cache")) << "nothing is downloaded whole";
  EXPECT_TRUE(store_->Delete(key).ok());
}

// A client that goes away mid-body: the reader's end must stop the transfer promptly, though
// the transfer is waiting for the reader to make room.
TEST_F(S3BlobStoreTest, ReaderDroppedMidRangeStopsItsTransfer) {
  const std::size_t size = 4 * S3RangeReader::kAheadBytes;
  const auto [source, key] = Source(size);
  ASSERT_TRUE(store_->PutFile(key, source).ok());
  auto reader = store_->OpenRange(key, 0, size);
  ASSERT_TRUE(reader.ok()) << reader.status().message;
  char buffer[1000];
  ASSERT_TRUE((*reader)->Read(buffer, sizeof buffer).ok());
  std::this_thread::sleep_for(200ms);  // the transfer fills its buffer and waits
  const auto start = std::chrono::steady_clock::now();
  reader->reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(store_->Delete(key).ok());
}

// S3 dying mid-range must read as a failure, never as a short range that ended well. A server
// of its own, and an object far larger than what the reader and the sockets buffer.
TEST_F(S3BlobStoreTest, ServerKilledMidRangeIsAnErrorNotAShortRange) {
  const fs::path own = dir_ / "own-s3";
  const std::string engines = REEL_ENGINES_SCRIPT;
  ASSERT_EQ(std::system((engines + " s3 start '" + own.string() + "' >/dev/null 2>&1").c_str()), 0);
  S3BlobStore store(OptionsFor(own, dir_ / "own-cache"), clock_);
  const std::size_t size = 48u << 20;
  const auto [source, key] = Source(size);
  ASSERT_TRUE(store.PutFile(key, source).ok());
  auto reader = store.OpenRange(key, 0, size);
  ASSERT_TRUE(reader.ok()) << reader.status().message;
  char buffer[1000];
  ASSERT_TRUE((*reader)->Read(buffer, sizeof buffer).ok());
  ASSERT_EQ(std::system((engines + " s3 kill '" + own.string() + "'").c_str()), 0);
  auto rest = ReadAll(**reader, 1 << 16);
  ASSERT_FALSE(rest.ok()) << "read " << rest->size() + sizeof buffer << " of " << size;
  EXPECT_EQ(rest.status().reason, "BLOB_STORE_UNAVAILABLE");
}

TEST_F(S3BlobStoreTest, LocalPathCacheStaysWithinItsLimit) {
  S3Options options = store_->options();
  options.cache_max_bytes = 2500;  // two of the 1000-byte objects below, not three
  S3BlobStore store(options, clock_);
  std::vector<std::string> keys;
  for (int i = 0; i < 3; ++i) {
    const auto [source, key] = Source(1000);
    ASSERT_TRUE(store.PutFile(key, source).ok());
    keys.push_back(key);
  }
  const fs::path cache = options.cache_dir;
  ASSERT_TRUE(store.LocalPath(keys[0]).ok());
  std::this_thread::sleep_for(20ms);  // distinct mtimes
  ASSERT_TRUE(store.LocalPath(keys[1]).ok());
  std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(store.LocalPath(keys[0]).ok());  // used again: now newer than keys[1]
  std::this_thread::sleep_for(20ms);
  auto third = store.LocalPath(keys[2]);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(fs::exists(*third)) << "the file just asked for stays";
  EXPECT_TRUE(fs::exists(cache / keys[0])) << "recently used";
  EXPECT_FALSE(fs::exists(cache / keys[1])) << "the least recently used goes";
  std::uint64_t total = 0;
  for (const auto& entry : fs::directory_iterator(cache)) total += entry.file_size();
  EXPECT_LE(total, options.cache_max_bytes);
  for (const std::string& key : keys) EXPECT_TRUE(store.Delete(key).ok());
}

TEST_F(S3BlobStoreTest, PresignedUrlsAreStableWithinAWindowAndServeTheBytes) {
  const auto [source, key] = Source(512);
  const std::string bytes = ReadFile(source);
  ASSERT_TRUE(store_->PutFile(key, source).ok());
  // At the start of the current window of 300 s: signed no later than now, so S3 (on the real
  // clock) takes it.
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  ManualClock clock(now - now.time_since_epoch() % 300s);
  PresignedUrls urls(store_->options(), 600s, clock);
  EXPECT_EQ(urls.window(), 300s);
  const std::string first = urls.Of(key).value();
  EXPECT_EQ(CurlStatus(first, dir_ / "presigned"), 200);
  EXPECT_TRUE(ReadFile(dir_ / "presigned") == bytes);
  clock.Advance(299s);
  EXPECT_EQ(urls.Of(key).value(), first) << "the same URL within a window";
  clock.Advance(1s);
  EXPECT_NE(urls.Of(key).value(), first) << "signed anew in the next window";
  EXPECT_EQ(urls.Of("../x.mp4").status().reason, "BLOB_KEY_INVALID");
  EXPECT_TRUE(store_->Delete(key).ok());
}

}  // namespace
}  // namespace reel::blob
