#include "kit/auth/password_hasher.hpp"

#include <gtest/gtest.h>

namespace reel::auth {
namespace {

class PasswordHasherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitCrypto(); }
  PasswordHasher hasher_{Argon2Params{.ops = 1, .memory_kib = 8 * 1024}};
};

TEST_F(PasswordHasherTest, HashIsArgon2idAndSalted) {
  const std::string a = hasher_.Hash("correct horse");
  const std::string b = hasher_.Hash("correct horse");
  EXPECT_EQ(a.rfind("$argon2id$", 0), 0u) << a;
  EXPECT_NE(a, b);  // a fresh salt each time
  EXPECT_EQ(a.find("correct"), std::string::npos);
}

TEST_F(PasswordHasherTest, VerifiesOnlyTheRightPassword) {
  const std::string hash = hasher_.Hash("secret1");
  EXPECT_TRUE(hasher_.Verify(hash, "secret1"));
  EXPECT_FALSE(hasher_.Verify(hash, "secret2"));
  EXPECT_FALSE(hasher_.Verify(hash, ""));
  EXPECT_FALSE(hasher_.Verify("not a hash", "secret1"));
}

TEST_F(PasswordHasherTest, HashesMadeWithOtherCostsStillVerify) {
  PasswordHasher stronger(Argon2Params{.ops = 2, .memory_kib = 16 * 1024});
  const std::string hash = stronger.Hash("密码是六位");
  EXPECT_NE(hash.find("m=16384"), std::string::npos) << hash;
  EXPECT_TRUE(hasher_.Verify(hash, "密码是六位"));
}

}  // namespace
}  // namespace reel::auth
