// ProfileEditor: a profile change with pictures is all or nothing, cheap refusals first.
#include "user/domain/profile_editor.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "user/domain/testing/user_service_fixture.hpp"

namespace reel::user {
namespace {

// The key a picture uploaded at `path` gets: 64 times its last character, ".jpg".
std::string KeyOf(const std::string& path) {
  return std::string(64, path.back()) + ".jpg";
}

// Pictures as the port sees them: a path holding "bad" is refused, any other gets
// KeyOf(path); what was prepared, kept and dropped is recorded.
class FakePictures final : public ProfilePictures {
 public:
  class Prepared final : public PreparedPicture {
   public:
    Prepared(FakePictures& owner, std::string key) : owner_(owner), key_(std::move(key)) {}
    ~Prepared() override {
      if (!kept) owner_.dropped.push_back(key_);
    }
    const std::string& key() const override { return key_; }
    bool kept = false;

   private:
    FakePictures& owner_;
    std::string key_;
  };

  Result<std::unique_ptr<PreparedPicture>> Prepare(ProfileImageKind kind,
                                                   const std::string& path) override {
    prepared.push_back(path);
    if (path.find("bad") != std::string::npos) {
      return InvalidArgument(
          "IMAGE_INVALID",
          std::string(kind == ProfileImageKind::kAvatar ? "avatar" : "bg") + ": not a picture");
    }
    return std::unique_ptr<PreparedPicture>(std::make_unique<Prepared>(*this, KeyOf(path)));
  }
  Status Keep(PreparedPicture& picture) override {
    static_cast<Prepared&>(picture).kept = true;
    kept.push_back(picture.key());
    return Status::Ok();
  }

  std::vector<std::string> prepared;
  std::vector<std::string> kept;
  std::vector<std::string> dropped;
};

class ProfileEditorTest : public testing::UserServiceFixture {
 protected:
  void SetUp() override {
    UserServiceFixture::SetUp();
    editor_ = std::make_unique<ProfileEditor>(*service_, pictures_);
    auto session = service_->Register("alice", "correct horse battery");
    ASSERT_TRUE(session.ok()) << session.status().message;
    alice_ = session->user_id;
    ASSERT_TRUE(service_->Register("bob", "correct horse battery").ok());
  }

  FakePictures pictures_;
  std::unique_ptr<ProfileEditor> editor_;
  std::int64_t alice_ = 0;
};

TEST_F(ProfileEditorTest, TextAndPicturesChangeTogether) {
  ProfileUpdate text;
  text.signature = "hello";
  const PictureUpload uploads[] = {{ProfileImageKind::kAvatar, "/spool/a"},
                                   {ProfileImageKind::kBackground, "/spool/b"}};
  auto user = editor_->Change(alice_, text, uploads);
  ASSERT_TRUE(user.ok()) << user.status().message;
  EXPECT_EQ(user->signature, "hello");
  EXPECT_EQ(user->avatar, KeyOf("a"));
  EXPECT_EQ(user->background_image, KeyOf("b"));
  EXPECT_EQ(pictures_.kept, (std::vector<std::string>{KeyOf("a"), KeyOf("b")}));
  EXPECT_EQ(service_->GetUser(alice_)->avatar, KeyOf("a"));
}

TEST_F(ProfileEditorTest, ATakenNameIsRefusedBeforeAnyPictureIsDecoded) {
  ProfileUpdate text;
  text.name = "bob";
  const PictureUpload uploads[] = {{ProfileImageKind::kAvatar, "/spool/a"}};
  auto refused = editor_->Change(alice_, text, uploads);
  EXPECT_EQ(refused.status().reason, "USERNAME_TAKEN");
  EXPECT_TRUE(pictures_.prepared.empty());
  EXPECT_EQ(service_->GetUser(alice_)->name, "alice");
}

TEST_F(ProfileEditorTest, ABadPictureKeepsNothingAndChangesNothing) {
  ProfileUpdate text;
  text.signature = "changed";
  const PictureUpload uploads[] = {{ProfileImageKind::kAvatar, "/spool/a"},
                                   {ProfileImageKind::kBackground, "/spool/bad"}};
  auto refused = editor_->Change(alice_, text, uploads);
  EXPECT_EQ(refused.status().reason, "IMAGE_INVALID");
  EXPECT_TRUE(pictures_.kept.empty());
  EXPECT_EQ(pictures_.dropped, (std::vector<std::string>{KeyOf("a")}));
  const auto stored = service_->GetUser(alice_);
  EXPECT_EQ(stored->signature, "");
  EXPECT_EQ(stored->avatar, "");
}

TEST_F(ProfileEditorTest, NothingToChangeAndTwoPicturesOfAKindAreRefused) {
  EXPECT_EQ(editor_->Change(alice_, {}, {}).status().reason, "PARAM_MISSING");
  EXPECT_EQ(editor_->Change(alice_, {}, {}).status().message,
            "give at least one of name, signature, avatar, background_image");
  const PictureUpload twice[] = {{ProfileImageKind::kAvatar, "/spool/a"},
                                 {ProfileImageKind::kAvatar, "/spool/b"}};
  EXPECT_EQ(editor_->Change(alice_, {}, twice).status().reason, "PARAM_INVALID");
  ProfileUpdate keyed;
  keyed.avatar_key = KeyOf("a");  // pictures are uploaded, not named by key
  EXPECT_EQ(editor_->Change(alice_, keyed, {}).status().reason, "PARAM_INVALID");
  EXPECT_TRUE(pictures_.prepared.empty());
  const PictureUpload one[] = {{ProfileImageKind::kAvatar, "/spool/a"}};
  EXPECT_EQ(editor_->Change(999, {}, one).status().reason, "USER_NOT_FOUND");
}

}  // namespace
}  // namespace reel::user
