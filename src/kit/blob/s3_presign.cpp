#include "kit/blob/s3_presign.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <ctime>
#include <stdexcept>

namespace reel::blob {
namespace {

using Digest = std::array<unsigned char, 32>;

std::string Hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xf]);
  }
  return out;
}

std::string Sha256Hex(std::string_view text) {
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return Hex(digest.data(), size);
}

Digest HmacSha256(std::string_view key, std::string_view message) {
  Digest digest{};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
           &size) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return digest;
}

std::string_view AsText(const Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

std::string Utc(std::chrono::system_clock::time_point when, const char* format) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  return {buffer, std::strftime(buffer, sizeof buffer, format, &tm)};
}

}  // namespace

std::string S3UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') ||
                            (u >= '0' && u <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kDigits[u >> 4]);
      out.push_back(kDigits[u & 0xf]);
    }
  }
  return out;
}

std::string PresignGetQuery(const S3PresignInput& input) {
  const std::string date = Utc(input.now, "%Y%m%d");
  const std::string timestamp = Utc(input.now, "%Y%m%dT%H%M%SZ");
  const std::string scope = date + "/" + input.region + "/s3/aws4_request";
  // The parameters in byte order of their names, as the canonical request requires.
  const std::string query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" +
      S3UriEncode(input.access_key + "/" + scope) + "&X-Amz-Date=" + timestamp +
      "&X-Amz-Expires=" + std::to_string(input.expires.count()) + "&X-Amz-SignedHeaders=host";
  const std::string canonical_request =
      "GET\n" + input.path + "\n" + query + "\nhost:" + input.host + "\n\nhost\nUNSIGNED-PAYLOAD";
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" + Sha256Hex(canonical_request);
  const Digest date_key = HmacSha256("AWS4" + input.secret_key, date);
  const Digest region_key = HmacSha256(AsText(date_key), input.region);
  const Digest service_key = HmacSha256(AsText(region_key), "s3");
  const Digest signing_key = HmacSha256(AsText(service_key), "aws4_request");
  const Digest signature = HmacSha256(AsText(signing_key), string_to_sign);
  return query + "&X-Amz-Signature=" + Hex(signature.data(), signature.size());
}

}  // namespace reel::blob
