// ProfileImages with a real blob store and pictures made by the ffmpeg CLI.
#include "user/media/profile_images.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "kit/blob/local_blob_store.hpp"

namespace reel::user {
namespace {

class ProfileImagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_profile_images_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "in");
    blobs_ = std::make_unique<blob::LocalBlobStore>((dir_ / "media").string());
    images_ = std::make_unique<ProfileImages>(*blobs_, (dir_ / "work").string());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // One frame of ffmpeg's test pattern, `size` like "640x480", as `name` in the input dir.
  std::string Picture(const std::string& size, const std::string& name) const {
    const std::string out = (dir_ / "in" / name).string();
    const std::string command =
        "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc=size=" + size + " -frames:v 1 '" +
        out + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return out;
  }

  std::size_t FilesIn(const std::string& sub) const {
    std::size_t n = 0;
    if (!std::filesystem::exists(dir_ / sub)) return 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_ / sub)) {
      n += e.is_regular_file() ? 1 : 0;
    }
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<blob::LocalBlobStore> blobs_;
  std::unique_ptr<ProfileImages> images_;
};

TEST_F(ProfileImagesTest, PreparedPicturesAreStoredUnderTheirContentKey) {
  const std::string upload = Picture("640x480", "me.png");
  auto avatar = images_->PrepareImage(ProfileImageKind::kAvatar, upload);
  ASSERT_TRUE(avatar.ok()) << avatar.status().message;
  EXPECT_TRUE(std::filesystem::exists(upload));  // the upload is the caller's
  EXPECT_FALSE(blobs_->Exists(avatar->key()));   // nothing stored yet
  EXPECT_EQ(FilesIn("work"), 1u);
  auto sha256 = blob::Sha256OfFile(avatar->path());
  ASSERT_TRUE(sha256.ok());
  EXPECT_EQ(avatar->key(), *sha256 + ".jpg");

  ASSERT_TRUE(images_->Store(*avatar).ok());
  EXPECT_TRUE(blobs_->Exists(avatar->key()));
  EXPECT_EQ(FilesIn("work"), 0u);
  EXPECT_EQ(images_->Store(*avatar).code, Code::kInternal);  // once only (a caller's bug)

  // The same picture again is the same object; a background of it is another.
  auto again = images_->PrepareImage(ProfileImageKind::kAvatar, upload);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->key(), avatar->key());
  ASSERT_TRUE(images_->Store(*again).ok());
  auto background = images_->PrepareImage(ProfileImageKind::kBackground, upload);
  ASSERT_TRUE(background.ok());
  EXPECT_NE(background->key(), avatar->key());
  ASSERT_TRUE(images_->Store(*background).ok());
  EXPECT_EQ(FilesIn("media"), 2u);
}

// The domain's port (ProfilePictures) over the same two steps.
TEST_F(ProfileImagesTest, ThePortPreparesAndKeepsAndRefusesAPictureItDidNotPrepare) {
  ProfilePictures& port = *images_;
  auto avatar = port.Prepare(ProfileImageKind::kAvatar, Picture("64x64", "port.png"));
  ASSERT_TRUE(avatar.ok()) << avatar.status().message;
  EXPECT_FALSE(blobs_->Exists((*avatar)->key()));
  ASSERT_TRUE(port.Keep(**avatar).ok());
  EXPECT_TRUE(blobs_->Exists((*avatar)->key()));

  class Foreign final : public PreparedPicture {
   public:
    const std::string& key() const override { return key_; }

   private:
    std::string key_ = std::string(64, 'f') + ".jpg";
  } foreign;
  EXPECT_EQ(port.Keep(foreign).code, Code::kInternal);
  EXPECT_FALSE(blobs_->Exists(foreign.key()));
}

TEST_F(ProfileImagesTest, PicturesNeverStoredLeaveNothing) {
  {
    auto avatar = images_->PrepareImage(ProfileImageKind::kAvatar, Picture("64x64", "a.jpg"));
    ASSERT_TRUE(avatar.ok());
    EXPECT_EQ(FilesIn("work"), 1u);
  }
  EXPECT_EQ(FilesIn("work"), 0u);
  EXPECT_EQ(FilesIn("media"), 0u);
}

TEST_F(ProfileImagesTest, RefusalsNameTheField) {
  const std::string big = Picture("64x64", "big.jpg");
  std::filesystem::resize_file(big, kMaxProfileImageBytes + 1);
  auto too_large = images_->PrepareImage(ProfileImageKind::kAvatar, big);
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.status().code, Code::kPayloadTooLarge);
  EXPECT_EQ(too_large.status().reason, "IMAGE_TOO_LARGE");
  EXPECT_EQ(too_large.status().message.rfind("avatar: ", 0), 0u) << too_large.status().message;

  const std::string exact = Picture("64x64", "exact.png");
  std::filesystem::resize_file(exact, kMaxProfileImageBytes);  // at the limit: decoded
  EXPECT_NE(images_->PrepareImage(ProfileImageKind::kAvatar, exact).status().reason,
            "IMAGE_TOO_LARGE");

  const std::string text = (dir_ / "in" / "text.jpg").string();
  std::ofstream(text) << "not a picture";
  auto invalid = images_->PrepareImage(ProfileImageKind::kBackground, text);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().reason, "IMAGE_INVALID");
  EXPECT_EQ(invalid.status().message.rfind("background_image: ", 0), 0u)
      << invalid.status().message;
  EXPECT_EQ(FilesIn("work"), 0u);
}

}  // namespace
}  // namespace reel::user
