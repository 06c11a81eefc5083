// Base64url and JWT helpers: lets tests forge and inspect tokens.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reel::e2e {

/// Seconds since the Unix epoch.
std::int64_t UnixNow();

std::string Base64UrlEncode(std::string_view bytes);
/// Decodes unpadded base64url; nullopt on invalid input.
std::optional<std::string> Base64UrlDecode(std::string_view text);

/// MAC used to sign a forged JWT (independent of what its header claims).
enum class JwtMac { kHs256, kHs512 };

/// A compact JWT: base64url(header).base64url(payload).base64url(MAC), the MAC keyed with
/// `secret` of any length. Lets tests forge tokens the server must accept or refuse.
std::string MakeJwt(std::string_view header_json, std::string_view payload_json,
                    std::string_view secret, JwtMac mac = JwtMac::kHs256);
/// Part `index` of a JWT (0 header, 1 payload) decoded and parsed; a null document if the
/// token has no such part or it is not base64url JSON.
rapidjson::Document JwtPart(std::string_view token, int index);

}  // namespace reel::e2e
