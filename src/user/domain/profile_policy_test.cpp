#include "user/domain/profile_policy.hpp"

#include <gtest/gtest.h>

#include <string>

namespace reel::user {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kKey = std::string(64, 'c') + ".jpg";

TEST(ProfilePolicyTest, SignatureCountsCharactersUpTo200) {
  EXPECT_TRUE(ValidateSignature("").ok());  // clears it
  EXPECT_TRUE(ValidateSignature("hello, world").ok());
  EXPECT_TRUE(ValidateSignature(Repeat("a", 200)).ok());
  EXPECT_TRUE(ValidateSignature(Repeat("字", 200)).ok());  // 600 bytes, 200 characters
  EXPECT_EQ(ValidateSignature(Repeat("a", 201)).reason, "SIGNATURE_INVALID");
  EXPECT_EQ(ValidateSignature(Repeat("字", 201)).reason, "SIGNATURE_INVALID");
}

TEST(ProfilePolicyTest, SignatureRefusesControlsAndBrokenUtf8) {
  for (const std::string& bad :
       {std::string("two\nlines"), std::string("tab\there"), std::string("nul\0inside", 10),
        std::string("bell\a"), std::string("del\x7f"), std::string("c1\xc2\x85"),
        std::string("\xff\xfe"), std::string("cut\xe5\xad")}) {
    const Status s = ValidateSignature(bad);
    EXPECT_EQ(s.code, Code::kInvalidArgument) << bad;
    EXPECT_EQ(s.reason, "SIGNATURE_INVALID") << bad;
  }
}

TEST(ProfilePolicyTest, ImageKeysAreContentAddressedJpegs) {
  EXPECT_TRUE(IsProfileImageKey(kKey));
  EXPECT_FALSE(IsProfileImageKey(std::string(64, 'c') + ".png"));
  EXPECT_FALSE(IsProfileImageKey(std::string(63, 'c') + ".jpg"));
  EXPECT_FALSE(IsProfileImageKey(std::string(64, 'C') + ".jpg"));
  EXPECT_FALSE(IsProfileImageKey("../" + std::string(61, 'c') + ".jpg"));
  EXPECT_FALSE(IsProfileImageKey("https://example.com/a.jpg"));
  EXPECT_FALSE(IsProfileImageKey(""));
}

TEST(ProfilePolicyTest, AnUpdateMustChangeSomethingValid) {
  EXPECT_EQ(ValidateProfileUpdate({}).reason, "PARAM_MISSING");
  EXPECT_TRUE(ValidateProfileUpdate({.name = "alice"}).ok());
  EXPECT_TRUE(ValidateProfileUpdate({.signature = ""}).ok());
  EXPECT_TRUE(ValidateProfileUpdate({.avatar_key = kKey, .background_key = kKey}).ok());
  // Names follow the registration rules.
  EXPECT_EQ(ValidateProfileUpdate({.name = ""}).reason, "USERNAME_INVALID");
  EXPECT_EQ(ValidateProfileUpdate({.name = " alice"}).reason, "USERNAME_INVALID");
  EXPECT_EQ(ValidateProfileUpdate({.name = Repeat("n", 33)}).reason, "USERNAME_INVALID");
  EXPECT_EQ(ValidateProfileUpdate({.name = "ok", .signature = "a\nb"}).reason, "SIGNATURE_INVALID");
  EXPECT_EQ(ValidateProfileUpdate({.avatar_key = "x.jpg"}).reason, "IMAGE_INVALID");
  EXPECT_EQ(ValidateProfileUpdate({.background_key = "http://a/b.jpg"}).reason, "IMAGE_INVALID");
}

}  // namespace
}  // namespace reel::user
