// JWT verification. Three ways in, chosen by the first byte:
//  0: any string as a token (what every request can send);
//  1: a token whose header and payload are the input's bytes, correctly signed with the
//     fixed secret, so the parsing that only runs after the signature check is reached;
//  2: a token issued for an id from the input, which must verify as that id.
// Whatever comes in, a token that verifies has a positive subject, the expected type, is
// not expired and is not issued in the future.
//
// Input: <mode byte> then, for 0, the token; for 1, <header JSON> '\0' <payload JSON>;
// for 2, 8 bytes of user id and a type byte.

#include <sodium.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "kit/auth/token_signer.hpp"
#include "kit/clock/clock.hpp"

namespace {

using reel::auth::TokenType;
using reel::fuzz::Check;

constexpr std::string_view kSecret = "fuzzing-secret-fuzzing-secret-0123456789";

std::string Base64Url(std::string_view bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string Signed(std::string_view header, std::string_view payload) {
  const std::string input = Base64Url(header) + "." + Base64Url(payload);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(kSecret.data()),
                              kSecret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(input.data()),
                                input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return input + "." + Base64Url(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

const reel::ManualClock& Clock() {
  static const reel::ManualClock clock;
  return clock;
}

const reel::auth::TokenSigner& Signer() {
  static const reel::auth::TokenSigner signer({.secret = std::string(kSecret)}, Clock());
  return signer;
}

void CheckVerified(std::string_view token, TokenType expected) {
  const auto claims = Signer().Verify(token, expected);
  if (!claims.ok()) return;
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(Clock().Now().time_since_epoch()).count();
  Check(claims->user_id > 0, "a verified token with a subject below 1");
  Check(claims->type == expected, "a verified token of the other type");
  Check(claims->expires_at > now, "a verified token that has expired");
  Check(claims->issued_at <= now + 60, "a verified token issued in the future");
}

void FuzzOne(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::FuzzInput in(data, size);
  const std::uint8_t mode = in.Byte();
  const TokenType expected = (mode & 0x80) ? TokenType::kRefresh : TokenType::kAccess;
  switch (mode % 3) {
    case 0:
      CheckVerified(in.Rest(), expected);
      break;
    case 1: {
      const std::string_view header = in.Until('\0');
      CheckVerified(Signed(header, in.Rest()), expected);
      break;
    }
    default: {
      const auto user_id = static_cast<std::int64_t>(in.U64() >> 1);
      const TokenType type = in.Bool() ? TokenType::kRefresh : TokenType::kAccess;
      const auto claims = Signer().Verify(Signer().Issue(user_id, type), type);
      Check(claims.ok() == (user_id > 0), "an issued token does not verify");
      if (claims.ok()) Check(claims->user_id == user_id, "an issued token names another user");
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (sodium_init() < 0) reel::fuzz::Fail("sodium_init");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::OnSmallStack([&] { FuzzOne(data, size); });
  return 0;
}
