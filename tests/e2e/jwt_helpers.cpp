#include "jwt_helpers.hpp"

#include <sodium.h>

#include <chrono>
#include <cstddef>
#include <cstring>
#include <stdexcept>

namespace reel::e2e {

namespace {

void EnsureSodium() {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(message), message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::string HmacSha512(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha512_state state;
  unsigned char mac[crypto_auth_hmacsha512_BYTES];
  crypto_auth_hmacsha512_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha512_update(&state, Bytes(message), message.size());
  crypto_auth_hmacsha512_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

}  // namespace

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Base64UrlEncode(std::string_view bytes) {
  EnsureSodium();
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), kVariant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  EnsureSodium();
  std::string out(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string MakeJwt(std::string_view header_json, std::string_view payload_json,
                    std::string_view secret, JwtMac mac) {
  EnsureSodium();
  const std::string signing_input =
      Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
  const std::string signature =
      mac == JwtMac::kHs512 ? HmacSha512(secret, signing_input) : HmacSha256(secret, signing_input);
  return signing_input + "." + Base64UrlEncode(signature);
}

rapidjson::Document JwtPart(std::string_view token, int index) {
  rapidjson::Document doc;
  for (int i = 0; i < index; ++i) {
    const auto dot = token.find('.');
    if (dot == std::string_view::npos) return doc;
    token.remove_prefix(dot + 1);
  }
  const std::optional<std::string> json = Base64UrlDecode(token.substr(0, token.find('.')));
  if (!json) return doc;
  doc.Parse(json->data(), json->size());
  if (doc.HasParseError()) doc.SetNull();
  return doc;
}

}  // namespace reel::e2e
