#include "kit/blob/local_blob_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace reel::blob {
namespace {

namespace fs = std::filesystem;

const std::string kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

void WriteFile(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::size_t EntriesIn(const fs::path& dir) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

class LocalBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "reel-blob-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    root_ = dir_ / "store" / "objects";  // not there yet: the store creates it
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A source file holding `content`, as an upload spool would leave it.
  fs::path Source(const std::string& name, const std::string& content) {
    const fs::path path = dir_ / name;
    WriteFile(path, content);
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    return path;
  }

  fs::path dir_;
  fs::path root_;
};

TEST(IsValidKeyTest, AcceptsHashDotExtension) {
  for (const char* ext : {"mp4", "webm", "jpg", "a", "12345"}) {
    EXPECT_TRUE(IsValidKey(kAbc + "." + ext)) << ext;
  }
}

TEST(IsValidKeyTest, RefusesEverythingElse) {
  std::string upper = kAbc;
  upper[0] = 'B';
  const std::string with_nul = kAbc + std::string(".mp\0", 4);
  for (const std::string& bad :
       {std::string("../x.mp4"), std::string("%2e%2e"), upper + ".mp4", kAbc.substr(1) + ".mp4",
        kAbc, kAbc + ".", kAbc + ".mp4/", kAbc + "./mp4", kAbc + ".m/4", kAbc + ".MP4",
        kAbc + ".webm1x", kAbc + "..mp4", kAbc + ".mp4.jpg", "/" + kAbc + ".mp4",
        "../" + kAbc.substr(3) + ".mp4", kAbc + ".m%34", with_nul, std::string()}) {
    EXPECT_FALSE(IsValidKey(bad)) << bad;
  }
}

TEST_F(LocalBlobStoreTest, Sha256OfKnownContent) {
  WriteFile(dir_ / "abc", "abc");
  WriteFile(dir_ / "empty", "");
  WriteFile(dir_ / "million", std::string(1'000'000, 'a'));  // spans many 64 KiB chunks
  EXPECT_EQ(*Sha256OfFile((dir_ / "abc").string()), kAbc);
  EXPECT_EQ(*Sha256OfFile((dir_ / "empty").string()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(*Sha256OfFile((dir_ / "million").string()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Sha256OfFile((dir_ / "absent").string()).status().code, Code::kInternal);
}

TEST_F(LocalBlobStoreTest, PutExistsSizePathDelete) {
  LocalBlobStore store(root_.string());
  const fs::path source = Source("upload", "abc");
  const std::string key = *Sha256OfFile(source.string()) + ".mp4";
  EXPECT_FALSE(store.Exists(key));

  ASSERT_TRUE(store.PutFile(key, source.string()).ok());
  EXPECT_FALSE(fs::exists(source));
  EXPECT_TRUE(store.Exists(key));
  EXPECT_EQ(*store.Size(key), 3u);
  const auto path = store.LocalPath(key);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, (root_ / "ba" / key).string());
  EXPECT_EQ(ReadFile(*path), "abc");
  struct stat st {};
  ASSERT_EQ(::stat(path->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);  // not the upload's 0600

  ASSERT_TRUE(store.Delete(key).ok());
  EXPECT_FALSE(store.Exists(key));
  EXPECT_EQ(store.Size(key).status().reason, "BLOB_NOT_FOUND");
  EXPECT_EQ(store.LocalPath(key).status().code, Code::kNotFound);
  EXPECT_TRUE(store.Delete(key).ok());  // already gone is fine
}

TEST_F(LocalBlobStoreTest, DuplicatePutKeepsOneObjectAndRemovesSource) {
  LocalBlobStore store(root_.string());
  const std::string key = kAbc + ".mp4";
  ASSERT_TRUE(store.PutFile(key, Source("first", "abc").string()).ok());
  // Different bytes only to show which object survives; real duplicates are identical.
  const fs::path second = Source("second", "not abc");
  ASSERT_TRUE(store.PutFile(key, second.string()).ok());
  EXPECT_FALSE(fs::exists(second));
  EXPECT_EQ(ReadFile(*store.LocalPath(key)), "abc");
  EXPECT_EQ(EntriesIn(root_ / "ba"), 1u);
}

TEST_F(LocalBlobStoreTest, InvalidKeysAreRefusedEverywhere) {
  LocalBlobStore store(root_.string());
  const fs::path source = Source("upload", "abc");
  for (const std::string& bad : {std::string("../x.mp4"), std::string("%2e%2e"),
                                 std::string("../../" + kAbc.substr(6) + ".mp4"), kAbc}) {
    EXPECT_EQ(store.PutFile(bad, source.string()).reason, "BLOB_KEY_INVALID") << bad;
    EXPECT_EQ(store.PutFile(bad, source.string()).code, Code::kInvalidArgument);
    EXPECT_FALSE(store.Exists(bad));
    EXPECT_EQ(store.Size(bad).status().reason, "BLOB_KEY_INVALID");
    EXPECT_EQ(store.LocalPath(bad).status().reason, "BLOB_KEY_INVALID");
    EXPECT_EQ(store.Delete(bad).reason, "BLOB_KEY_INVALID");
  }
  EXPECT_TRUE(fs::exists(source));  // a refused put leaves the source alone
  EXPECT_FALSE(fs::exists(root_));
}

TEST_F(LocalBlobStoreTest, SymlinkAtObjectPathIsNotFollowed) {
  LocalBlobStore store(root_.string());
  const std::string key = kAbc + ".mp4";
  WriteFile(dir_ / "secret", "top secret");
  fs::create_directories(root_ / "ba");
  fs::create_symlink(dir_ / "secret", root_ / "ba" / key);

  EXPECT_FALSE(store.Exists(key));
  EXPECT_EQ(store.Size(key).status().code, Code::kNotFound);
  EXPECT_EQ(store.LocalPath(key).status().code, Code::kNotFound);

  // A put replaces the link itself; the file it pointed at is untouched.
  ASSERT_TRUE(store.PutFile(key, Source("upload", "abc").string()).ok());
  EXPECT_FALSE(fs::is_symlink(root_ / "ba" / key));
  EXPECT_EQ(ReadFile(*store.LocalPath(key)), "abc");
  EXPECT_EQ(ReadFile(dir_ / "secret"), "top secret");
}

TEST_F(LocalBlobStoreTest, SymlinkedFanOutDirectoryIsNotFollowed) {
  LocalBlobStore store(root_.string());
  const std::string key = kAbc + ".mp4";
  fs::create_directories(dir_ / "elsewhere");
  WriteFile(dir_ / "elsewhere" / key, "planted");
  fs::create_directories(root_);
  fs::create_directory_symlink(dir_ / "elsewhere", root_ / "ba");

  EXPECT_FALSE(store.Exists(key));
  EXPECT_EQ(store.LocalPath(key).status().code, Code::kNotFound);
  EXPECT_EQ(store.PutFile(key, Source("upload", "abc").string()).code, Code::kInternal);
  EXPECT_TRUE(store.Delete(key).ok());
  EXPECT_EQ(ReadFile(dir_ / "elsewhere" / key), "planted");
}

TEST_F(LocalBlobStoreTest, ConcurrentPutsOfOneKeyLeaveOneIntactObject) {
  LocalBlobStore store(root_.string());
  const std::string content(300'000, 'v');
  constexpr int kThreads = 8;
  std::vector<fs::path> sources;
  for (int i = 0; i < kThreads; ++i) sources.push_back(Source("up" + std::to_string(i), content));
  const std::string key = *Sha256OfFile(sources[0].string()) + ".webm";

  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { results[i] = store.PutFile(key, sources[i].string()); });
  }
  for (auto& t : threads) t.join();

  for (int i = 0; i < kThreads; ++i) {
    EXPECT_TRUE(results[i].ok()) << results[i].message;
    EXPECT_FALSE(fs::exists(sources[i]));
  }
  EXPECT_EQ(EntriesIn(root_ / key.substr(0, 2)), 1u);  // no stray temp files either
  EXPECT_EQ(*Sha256OfFile(*store.LocalPath(key)) + ".webm", key);
}

TEST_F(LocalBlobStoreTest, MovesAcrossFilesystemsByCopying) {
  const fs::path shm = "/dev/shm";
  struct stat shm_st {};
  struct stat tmp_st {};
  if (::stat(shm.c_str(), &shm_st) != 0 || ::stat(dir_.c_str(), &tmp_st) != 0 ||
      shm_st.st_dev == tmp_st.st_dev || ::access(shm.c_str(), W_OK) != 0) {
    GTEST_SKIP() << "no second writable filesystem at /dev/shm";
  }
  const fs::path source = shm / ("reel-blob-test-" + std::to_string(::getpid()));
  WriteFile(source, "abc");
  LocalBlobStore store(root_.string());
  const std::string key = kAbc + ".jpg";
  ASSERT_TRUE(store.PutFile(key, source.string()).ok());
  EXPECT_FALSE(fs::exists(source));
  EXPECT_EQ(ReadFile(*store.LocalPath(key)), "abc");
  EXPECT_EQ(EntriesIn(root_ / "ba"), 1u);
}

TEST_F(LocalBlobStoreTest, MissingSourceIsAnInternalError) {
  LocalBlobStore store(root_.string());
  const std::string key = kAbc + ".mp4";
  EXPECT_EQ(store.PutFile(key, (dir_ / "absent").string()).code, Code::kInternal);
  EXPECT_FALSE(store.Exists(key));
}

}  // namespace
}  // namespace reel::blob
