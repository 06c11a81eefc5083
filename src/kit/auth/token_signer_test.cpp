#include "kit/auth/token_signer.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "kit/auth/password_hasher.hpp"

namespace reel::auth {
namespace {

using namespace std::chrono_literals;

const std::string kSecret = "0123456789abcdef0123456789abcdef";

std::string B64(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.pop_back();
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state st;
  unsigned char mac[32];
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return std::string(reinterpret_cast<char*>(mac), 32);
}

// A token written by hand, signed with `key`.
std::string Forge(std::string_view header, std::string_view payload, std::string_view key) {
  const std::string input = B64(header) + "." + B64(payload);
  return input + "." + B64(Hmac(key, input));
}

class TokenSignerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitCrypto(); }
  std::int64_t Now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch())
        .count();
  }
  std::string Payload(std::int64_t exp, std::string typ = "access") const {
    return R"({"sub":"7","iat":)" + std::to_string(Now()) + R"(,"exp":)" + std::to_string(exp) +
           R"(,"typ":")" + typ + R"("})";
  }
  ManualClock clock_;
  TokenSigner signer_{TokenConfig{kSecret, 1h, 24h}, clock_};
};

TEST_F(TokenSignerTest, IssuedTokensVerify) {
  auto claims = signer_.Verify(signer_.Issue(42, TokenType::kAccess), TokenType::kAccess);
  ASSERT_TRUE(claims.ok()) << claims.status().message;
  EXPECT_EQ(claims->user_id, 42);
  EXPECT_EQ(claims->expires_at - claims->issued_at, 3600);
}

TEST_F(TokenSignerTest, TypesAreNotInterchangeable) {
  auto as_access = signer_.Verify(signer_.Issue(1, TokenType::kRefresh), TokenType::kAccess);
  EXPECT_EQ(as_access.status().reason, "TOKEN_INVALID");
  auto as_refresh = signer_.Verify(signer_.Issue(1, TokenType::kAccess), TokenType::kRefresh);
  EXPECT_EQ(as_refresh.status().reason, "TOKEN_INVALID");
}

TEST_F(TokenSignerTest, ExpiresExactlyAtExp) {
  const std::string token = signer_.Issue(1, TokenType::kAccess);
  clock_.Advance(1h - 1s);
  EXPECT_TRUE(signer_.Verify(token, TokenType::kAccess).ok());
  clock_.Advance(1s);
  EXPECT_EQ(signer_.Verify(token, TokenType::kAccess).status().reason, "TOKEN_EXPIRED");
}

TEST_F(TokenSignerTest, HandForgedTokenWithTheSecretIsAccepted) {
  // Proves the refusals below are about what they change, not about hand-made tokens.
  auto claims = signer_.Verify(
      Forge(R"({"alg":"HS256","typ":"JWT"})", Payload(Now() + 60), kSecret), TokenType::kAccess);
  ASSERT_TRUE(claims.ok()) << claims.status().message;
  EXPECT_EQ(claims->user_id, 7);
}

// Expects `verified` refused as TOKEN_INVALID with `message`, which names the check that did.
void ExpectInvalid(const Result<TokenClaims>& verified, std::string_view message) {
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.status().code, Code::kUnauthenticated);
  EXPECT_EQ(verified.status().reason, "TOKEN_INVALID");
  EXPECT_EQ(verified.status().message, message);
}

TEST_F(TokenSignerTest, AlgorithmIsPinned) {
  const std::string payload = Payload(Now() + 60);
  // Each is signed HS256 with the right secret (as HandForgedTokenWithTheSecretIsAccepted
  // shows is accepted), so only the algorithm check can refuse them, and the message must
  // say it did.
  for (const std::string header :
       {R"({"alg":"none","typ":"JWT"})", R"({"alg":"none"})", R"({"alg":"HS512","typ":"JWT"})",
        R"({"alg":"hs256","typ":"JWT"})", R"({"typ":"JWT"})", R"({"alg":["HS256"]})"}) {
    SCOPED_TRACE(header);
    ExpectInvalid(signer_.Verify(Forge(header, payload, kSecret), TokenType::kAccess),
                  "token algorithm is not HS256");
  }
  // The classic alg:none token has no signature at all: it never gets as far as its header.
  const std::string unsigned_none = B64(R"({"alg":"none","typ":"JWT"})") + "." + B64(payload) + ".";
  ExpectInvalid(signer_.Verify(unsigned_none, TokenType::kAccess), "token signature is malformed");
}

TEST_F(TokenSignerTest, ForgedAndTamperedTokensAreRefused) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  ExpectInvalid(
      signer_.Verify(Forge(header, Payload(Now() + 60), "another-secret-another-secret-xx"),
                     TokenType::kAccess),
      "token signature does not match");
  std::string token = signer_.Issue(1, TokenType::kAccess);
  const auto dot = token.find('.');
  std::string tampered =
      token.substr(0, dot + 1) + B64(Payload(Now() + 60)) + token.substr(token.rfind('.'));
  ExpectInvalid(signer_.Verify(tampered, TokenType::kAccess), "token signature does not match");
  for (std::string junk : {"", "a.b", "a.b.c.d", "...", "x.y.z"}) {
    EXPECT_EQ(signer_.Verify(junk, TokenType::kAccess).status().reason, "TOKEN_INVALID") << junk;
  }
}

TEST_F(TokenSignerTest, DeeplyNestedClaimsAreRefusedWithoutExhaustingTheStack) {
  // Only the secret's holder can sign such a token, but a recursive parse of it overflowed
  // the stack all the same (found by fuzzing, tests/fuzz/jwt_fuzz.cpp).
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  const std::string payload = R"({"sub":)" + std::string(1'000'000, '[');
  EXPECT_EQ(signer_.Verify(Forge(header, payload, kSecret), TokenType::kAccess).status().reason,
            "TOKEN_INVALID");
  EXPECT_EQ(signer_.Verify(Forge(payload, Payload(Now() + 60), kSecret), TokenType::kAccess)
                .status()
                .reason,
            "TOKEN_INVALID");
}

TEST_F(TokenSignerTest, ClaimsMustBeComplete) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  const std::string no_typ = R"({"sub":"7","iat":1,"exp":)" + std::to_string(Now() + 60) + "}";
  ExpectInvalid(signer_.Verify(Forge(header, no_typ, kSecret), TokenType::kAccess),
                "not an access token");
  const std::string bad_sub =
      R"({"sub":"7x","iat":1,"typ":"access","exp":)" + std::to_string(Now() + 60) + "}";
  ExpectInvalid(signer_.Verify(Forge(header, bad_sub, kSecret), TokenType::kAccess),
                "token subject is malformed");
  const std::string no_exp = R"({"sub":"7","iat":1,"typ":"access"})";
  ExpectInvalid(signer_.Verify(Forge(header, no_exp, kSecret), TokenType::kAccess),
                "token lacks iat or exp");
}

TEST_F(TokenSignerTest, BindingsRoundTripAndUnboundTokensStillVerify) {
  auto refresh = signer_.Verify(
      signer_.Issue(5, TokenType::kRefresh, TokenBinding{.session_id = 9, .generation = 3}),
      TokenType::kRefresh);
  ASSERT_TRUE(refresh.ok()) << refresh.status().message;
  EXPECT_EQ(refresh->binding.session_id, 9);
  EXPECT_EQ(refresh->binding.generation, 3);
  auto plain = signer_.Verify(signer_.Issue(5, TokenType::kAccess), TokenType::kAccess);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->binding.session_id, 0);
  EXPECT_EQ(plain->binding.generation, 0);
}

TEST_F(TokenSignerTest, BindingClaimsMustBePositiveIntegers) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  const std::string exp = std::to_string(Now() + 60);
  for (std::string claim : {R"("sid":0)", R"("sid":"9")", R"("gen":-1)", R"("gen":1.5)"}) {
    const std::string payload =
        R"({"sub":"7","iat":1,"typ":"refresh","exp":)" + exp + "," + claim + "}";
    EXPECT_EQ(signer_.Verify(Forge(header, payload, kSecret), TokenType::kRefresh).status().reason,
              "TOKEN_INVALID")
        << claim;
  }
}

TEST_F(TokenSignerTest, DeviceTokensAreTheirOwnTypeWithAFreshIdAndLongLife) {
  TokenSigner signer(TokenConfig{kSecret, 1h, 24h, 24h * 180}, clock_);
  const std::string first = signer.IssueDevice(5);
  auto claims = signer.Verify(first, TokenType::kDevice);
  ASSERT_TRUE(claims.ok()) << claims.status().message;
  EXPECT_EQ(claims->user_id, 5);
  EXPECT_EQ(claims->binding.device_id.size(), 32u);
  EXPECT_EQ(claims->expires_at - claims->issued_at, 180 * 24 * 3600);
  EXPECT_NE(signer.Verify(signer.IssueDevice(5), TokenType::kDevice)->binding.device_id,
            claims->binding.device_id);
  EXPECT_EQ(signer.Verify(first, TokenType::kAccess).status().reason, "TOKEN_INVALID");
  EXPECT_EQ(signer.Verify(first, TokenType::kRefresh).status().reason, "TOKEN_INVALID");
  EXPECT_EQ(signer.Verify(signer.Issue(5, TokenType::kAccess), TokenType::kDevice).status().reason,
            "TOKEN_INVALID");
}

TEST(TokenSecretTest, ShortSecretIsRefused) {
  ManualClock clock;
  EXPECT_THROW(TokenSigner(TokenConfig{"short", 1h, 1h}, clock), std::invalid_argument);
}

TEST(TokenSecretTest, SecretFileIsCreatedOnceWithPrivateMode) {
  InitCrypto();
  const std::string path = ::testing::TempDir() + "/reel_secret_test_" + std::to_string(getpid());
  std::remove(path.c_str());
  const std::string first = LoadOrCreateSecret(path);
  EXPECT_GE(first.size(), 32u);
  EXPECT_EQ(LoadOrCreateSecret(path), first);
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::remove(path.c_str());
}

TEST(TokenSecretTest, ProcessesStartingAtOnceGetTheSameSecret) {
  // Services of a cluster start together on one secret file that does not exist yet.
  InitCrypto();
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("reel_secret_race_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  constexpr int kRounds = 100;  // the old code failed within the first ten
  constexpr int kStarters = 4;
  for (int round = 0; round < kRounds; ++round) {
    const std::string path = (dir / ("secret" + std::to_string(round))).string();
    std::vector<std::string> secrets(kStarters);
    std::vector<std::string> errors(kStarters);
    std::latch start(kStarters);
    std::vector<std::thread> starters;
    for (int i = 0; i < kStarters; ++i) {
      starters.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          secrets[i] = LoadOrCreateSecret(path);
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      });
    }
    for (auto& t : starters) t.join();
    for (int i = 0; i < kStarters; ++i) {
      ASSERT_EQ(errors[i], "") << "round " << round;
      ASSERT_EQ(secrets[i].size(), 64u) << "round " << round;
      ASSERT_EQ(secrets[i], secrets[0]) << "round " << round;
    }
  }
  // Nothing but the secrets is left behind.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
    ++files;
  }
  EXPECT_EQ(files, kRounds);
  std::filesystem::remove_all(dir);
}

TEST(TokenSecretTest, ShortOrEmptySecretFileIsRefused) {
  InitCrypto();
  const std::string path = ::testing::TempDir() + "/reel_secret_short_" + std::to_string(getpid());
  for (const std::string text : {"", "\n", "too-short\n"}) {
    std::ofstream(path, std::ios::trunc) << text;
    try {
      (void)LoadOrCreateSecret(path);
      ADD_FAILURE() << "accepted a secret of " << text.size() << " bytes";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("shorter than 32 bytes"), std::string::npos) << e.what();
    }
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace reel::auth
