// Reading JSON response bodies by dotted path, and writing small JSON objects.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http_client.hpp"

namespace reel::e2e {

/// Largest id the server may hand out: ids must stay exact in JavaScript and in doubles.
inline constexpr std::int64_t kMaxSafeId = (std::int64_t{1} << 53) - 1;

/// A JSON object whose members are the given strings, properly escaped.
std::string ToJson(const Pairs& string_fields);

/// The value at a dotted path ("user.id", "video_list.0.id": digits index arrays), or nullptr
/// when any step is missing or of the wrong kind.
const rapidjson::Value* JsonAt(const rapidjson::Value& root, std::string_view path);
/// The value at `path` when it is a JSON integer (a number written with a fraction or
/// exponent is not), else nullopt.
std::optional<std::int64_t> JsonInt(const rapidjson::Value& root, std::string_view path);
/// The value at `path` when it is any JSON number.
std::optional<double> JsonNumber(const rapidjson::Value& root, std::string_view path);
std::optional<std::string> JsonString(const rapidjson::Value& root, std::string_view path);
std::optional<bool> JsonBool(const rapidjson::Value& root, std::string_view path);

/// `status_code` of a Douyin response; nullopt when missing or not an integer.
std::optional<std::int64_t> DouyinStatusCode(const HttpResponse& response);
/// `reason` of an /api error body, "" when absent.
std::string ApiReason(const HttpResponse& response);

}  // namespace reel::e2e
