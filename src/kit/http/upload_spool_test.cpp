// Stale spool files: what a crash mid-upload leaves is removed, what a running process
// writes is not.
#include "kit/http/upload_spool.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace reel::http {
namespace {

namespace fs = std::filesystem;

class UploadSpoolCleanupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "reel-spool-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Touch(const std::string& name, std::chrono::minutes age = {}) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << "partial upload";
    fs::last_write_time(path, fs::file_time_type::clock::now() - age);
    return path;
  }

  // A file named as the spool of this very process names it (its writer is running), left
  // in the spool directory after the spool ended.
  fs::path SpoolOwnFile() {
    fs::path spooled;
    fs::path copy;
    {
      UploadSpool spool(dir_.string());
      spool.Begin("b");
      const std::string body =
          "--b\r\nContent-Disposition: form-data; name=\"data\"; filename=\"v.mp4\"\r\n\r\n"
          "bytes\r\n--b--\r\n";
      EXPECT_TRUE(spool.Feed(body).ok());
      EXPECT_TRUE(spool.Finish().ok());
      Request req;
      spool.MoveInto(req);
      if (req.files.size() != 1) return {};
      spooled = req.files[0].path;
      copy = spooled.string() + ".copy";
      fs::copy_file(spooled, copy);
    }  // the spool deletes its file
    fs::rename(copy, spooled);
    return spooled;
  }

  // A pid no process has now (searched downward from the top of the pid space).
  static std::string UnusedPid() {
    for (int pid = 4'000'000; pid > 1000; --pid) {
      if (!fs::exists("/proc/" + std::to_string(pid))) return std::to_string(pid);
    }
    return "0";
  }

  fs::path dir_;
};

TEST_F(UploadSpoolCleanupTest, FilesOfProcessesThatNoLongerRunAreRemoved) {
  const fs::path dead = Touch("reel-upload-" + UnusedPid() + ".12345-AbC123");
  // This process's id with another start time: a process before a restart that reused the id
  // (pid 1 in a container).
  const fs::path earlier = Touch("reel-upload-" + std::to_string(::getpid()) + ".1-XyZ789");
  EXPECT_EQ(RemoveStaleUploads(dir_.string()), 2u);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_FALSE(fs::exists(earlier));
}

TEST_F(UploadSpoolCleanupTest, FilesOfRunningProcessesStayWhateverTheirAge) {
  const fs::path live = SpoolOwnFile();
  const std::string name = live.filename().string();
  ASSERT_TRUE(name.starts_with("reel-upload-" + std::to_string(::getpid()) + ".")) << name;
  fs::last_write_time(live, fs::file_time_type::clock::now() - std::chrono::hours(5));
  EXPECT_EQ(RemoveStaleUploads(dir_.string()), 0u);
  EXPECT_TRUE(fs::exists(live));
}

TEST_F(UploadSpoolCleanupTest, UnnamedFilesGoAfterAnHourAndOthersAreLeftAlone) {
  const fs::path old_unnamed = Touch("reel-upload-Qw3rTy", std::chrono::minutes(61));
  const fs::path fresh_unnamed = Touch("reel-upload-As4dFg", std::chrono::minutes(5));
  const fs::path other = Touch("other-file", std::chrono::minutes(600));
  const fs::path odd = Touch("reel-upload-x.y-Zz", std::chrono::minutes(600));
  EXPECT_EQ(RemoveStaleUploads(dir_.string()), 1u);
  EXPECT_FALSE(fs::exists(old_unnamed));
  EXPECT_TRUE(fs::exists(fresh_unnamed));
  EXPECT_TRUE(fs::exists(other));
  EXPECT_TRUE(fs::exists(odd));
}

TEST_F(UploadSpoolCleanupTest, AMissingDirectoryIsNothingToDo) {
  EXPECT_EQ(RemoveStaleUploads((dir_ / "missing").string()), 0u);
}

}  // namespace
}  // namespace reel::http
