#include "user/domain/credentials_policy.hpp"

#include <gtest/gtest.h>

namespace reel::user {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(CredentialsPolicyTest, UsernameLengthCountsCharacters) {
  EXPECT_TRUE(ValidateUsername("a").ok());
  EXPECT_TRUE(ValidateUsername(Repeat("a", 32)).ok());
  EXPECT_TRUE(ValidateUsername(Repeat("中", 32)).ok());  // 96 bytes, 32 characters
  EXPECT_EQ(ValidateUsername(Repeat("a", 33)).reason, "USERNAME_INVALID");
  EXPECT_EQ(ValidateUsername(Repeat("中", 33)).reason, "USERNAME_INVALID");
  EXPECT_EQ(ValidateUsername("").reason, "USERNAME_INVALID");
}

TEST(CredentialsPolicyTest, UsernameRefusesInvisibleTricks) {
  for (std::string bad : {std::string(" alice"), std::string("alice "), std::string("al\nice"),
                          std::string("al\0ice", 6), std::string("\xff\xfe")}) {
    Status s = ValidateUsername(bad);
    EXPECT_EQ(s.reason, "USERNAME_INVALID") << bad;
  }
  EXPECT_TRUE(ValidateUsername("alice smith").ok());
}

TEST(CredentialsPolicyTest, PasswordLength) {
  EXPECT_EQ(ValidatePassword("12345").reason, "PASSWORD_INVALID");
  EXPECT_TRUE(ValidatePassword("123456").ok());
  EXPECT_TRUE(ValidatePassword(Repeat("密", 32)).ok());
  EXPECT_EQ(ValidatePassword(Repeat("x", 33)).reason, "PASSWORD_INVALID");
  EXPECT_EQ(ValidatePassword("\xc3\x28xxxxx").reason, "PASSWORD_INVALID");
}

}  // namespace
}  // namespace reel::user
