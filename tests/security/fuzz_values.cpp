#include "fuzz_values.hpp"

#include <array>
#include <string_view>

namespace reel::security {
namespace {

// The integer edges the issue names, and numbers every parser gets wrong somewhere.
constexpr std::array<std::string_view, 24> kEdgeNumbers = {
    "0",
    "-1",
    "1",
    "2",
    "9007199254740991",     // 2^53-1, the largest id the API promises
    "9007199254740992",     // 2^53
    "9223372036854775807",  // 2^63-1
    "9223372036854775808",  // 2^63
    "-9223372036854775808",
    "18446744073709551616",  // 2^64
    "99999999999999999999999999999999999999",
    "1e3",
    "1.68e+09",
    "1e309",
    "-0",
    "+1",
    "0x10",
    "00001",
    "1.5",
    "NaN",
    "Infinity",
    " 1",
    "1 ",
    "",
};

// Values that are no numbers at all, in the places numbers belong.
constexpr std::array<std::string_view, 8> kNonNumbers = {
    "abc", "\xef\xbc\x91\xef\xbc\x92", "\xd9\xa3", "\xf0\x9f\x8e\xac", "null", "true", "[]", "%00",
};

constexpr std::array<std::string_view, 16> kNasty = {
    "",
    "a",
    "' OR 1=1 --",
    "\"; DROP TABLE users; --",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%s%s%s%n",
    "\xe8\xa7\x86\xe9\xa2\x91 \xf0\x9f\x8e\xac",  // "视频 🎬"
    "\xe2\x80\xae\x61\x62\x63",                   // right-to-left override
    "\xff\xfe\xfd",                               // not UTF-8
    "\xc0\xaf",                                   // overlong '/'
    std::string_view("nul\0byte", 8),
    "line\r\nbreak",
    "  spaces  ",
    "{\"json\":true}",
    "\xed\xa0\x80",  // a lone surrogate in UTF-8
};

// Every parameter name a route reads (see src/*/api/*_routes.cpp).
constexpr std::array<std::string_view, 28> kParamNames = {
    "user_id", "video_id",      "to_user_id",    "comment_id",   "action_type",
    "action",  "type",          "cursor",        "limit",        "latest_time",
    "q",       "title",         "content",       "comment_text", "media_key",
    "token",   "refresh_token", "username",      "password",     "pre_msg_time",
    "after",   "signature",     "name",          "description",  "tags",
    "count",   "data",          "validate_only",
};

constexpr std::array<std::string_view, 12> kWords = {
    "like", "unlike",   "follow", "unfollow", "latest", "following",
    "hot",  "follower", "friend", "video",    "user",   "1",
};

constexpr std::array<std::string_view, 12> kContentTypes = {
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",  // no boundary
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=nope",
    "text/plain",
    "application/octet-stream",
    "application/json; charset=utf-16",
    "image/png",
    "video/mp4",
    "application/xml",
    "\xe2\x98\x83/\xe2\x98\x83",
};

constexpr char kHex[] = "0123456789abcdef";

// Raw, as far as a URL can be: printable ASCII stays as it is ('%' included, so broken
// escapes reach the server), the bytes no URL may hold (space, controls, non-ASCII) and the
// ones that would end the path or query are escaped.
std::string Raw(std::string_view text, bool in_query) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool ends = c == '#' || (!in_query && (c == '?' || c == '/'));
    if (byte > 0x20 && byte < 0x7f && !ends) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    }
  }
  return out;
}

// A header value cannot hold line breaks or NUL: they would end the header.
std::string HeaderSafe(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  }
  return text;
}

std::string Encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'z') ||
        (byte >= 'A' && byte <= 'Z') || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    }
  }
  return out;
}

// Inside a JSON string: quotes, backslashes and control bytes escaped; other bytes (invalid
// UTF-8 included, on purpose) as they are.
std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::size_t FuzzValues::Below(std::size_t n) {
  if (n == 0) return 0;
  return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
}

bool FuzzValues::Chance(int percent) {
  return static_cast<int>(Below(100)) < percent;
}

std::string FuzzValues::RealId() {
  if (context_.real_ids.empty()) return "1";
  return std::to_string(context_.real_ids[Below(context_.real_ids.size())]);
}

std::string FuzzValues::EdgeNumber() {
  if (Chance(30)) return RealId();
  if (Chance(15)) return std::string(kNonNumbers[Below(kNonNumbers.size())]);
  return std::string(kEdgeNumbers[Below(kEdgeNumbers.size())]);
}

std::string FuzzValues::NastyString() {
  switch (Below(10)) {
    case 0:
      return std::string(Below(2) ? 101 : 10000, 'x');  // just over limits, and far over
    case 1:
      return RandomBytes(Below(64));
    case 2:
      return EdgeNumber();
    default:
      return std::string(kNasty[Below(kNasty.size())]);
  }
}

std::string FuzzValues::IdSegment() {
  const std::string value = EdgeNumber();
  return Chance(90) ? Encode(value) : Raw(value, false);  // raw now and then: '%', quotes
}

std::string FuzzValues::MediaKeySegment() {
  switch (Below(6)) {
    case 0:
      if (!context_.media_keys.empty())
        return context_.media_keys[Below(context_.media_keys.size())];
      [[fallthrough]];
    case 1: {
      std::string key;
      for (int i = 0; i < 64; ++i) key += kHex[Below(16)];
      return key + (Chance(50) ? ".mp4" : ".jpg");
    }
    case 2:
      return "..%2f..%2f..%2fetc%2fpasswd";
    case 3:
      return "%2e%2e";
    case 4:
      return "";
    default:
      return Encode(NastyString());
  }
}

std::string FuzzValues::PathJunk() {
  constexpr std::array<std::string_view, 8> kJunk = {"x",    "..", "%2e%2e", "%00",
                                                     "{id}", "",   "%ff",    "\xe8\xa7\x86"};
  return std::string(kJunk[Below(kJunk.size())]);
}

std::string FuzzValues::Token() {
  const std::size_t roll = Below(100);
  if (roll < 45) return {};
  if (roll < 85 && !context_.access_tokens.empty()) {
    return context_.access_tokens[Below(context_.access_tokens.size())];
  }
  if (roll < 95 && !context_.bad_tokens.empty()) {
    return context_.bad_tokens[Below(context_.bad_tokens.size())];
  }
  return Chance(50) ? "a.b.c" : NastyString();
}

e2e::Pairs FuzzValues::PlausibleParams() {
  e2e::Pairs params;
  for (const std::string_view name : kParamNames) {
    if (Chance(20)) continue;
    std::string value;
    if (name.ends_with("_id") || name == "cursor" || name == "after" || name == "latest_time" ||
        name == "pre_msg_time") {
      value = Chance(80) ? RealId() : EdgeNumber();
    } else if (name == "limit" || name == "count") {
      value = std::to_string(Below(102));
    } else if (name == "action_type") {
      value = std::to_string(Below(4));
    } else if (name == "action" || name == "type") {
      value = std::string(kWords[Below(kWords.size())]);
    } else if (name == "media_key") {
      value = context_.media_keys.empty() ? "x"
                                          : context_.media_keys[Below(context_.media_keys.size())];
    } else if (name == "token" || name == "refresh_token") {
      value = Token();
    } else if (name == "username" || name == "name") {
      value = "fz" + std::to_string(Below(1000000));
    } else if (name == "password") {
      value = Chance(80) ? "password" : NastyString();
    } else {
      value = Chance(70) ? "fuzz words " + std::to_string(Below(1000)) : NastyString();
    }
    params.emplace_back(name, std::move(value));
  }
  return params;
}

e2e::Pairs FuzzValues::RandomParams() {
  e2e::Pairs params;
  const std::size_t count = Below(7);
  for (std::size_t i = 0; i < count; ++i) {
    std::string name =
        Chance(75) ? std::string(kParamNames[Below(kParamNames.size())]) : NastyString();
    std::string value = Chance(50) ? EdgeNumber() : NastyString();
    params.emplace_back(std::move(name), std::move(value));
  }
  return params;
}

std::string FuzzValues::QueryString(const e2e::Pairs& params) {
  const bool raw = Chance(5);
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    if (raw) {
      out += Raw(name, true) + "=" + Raw(value, true);
    } else {
      out += Encode(name) + "=" + Encode(value);
    }
  }
  return out;
}

std::string FuzzValues::RandomBytes(std::size_t size) {
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(Below(256));
  return out;
}

std::string FuzzValues::JsonValue(int depth) {
  switch (Below(depth > 3 ? 6 : 8)) {
    case 0:
      return "null";
    case 1:
      return Chance(50) ? "true" : "false";
    case 2: {
      const std::string number = EdgeNumber();
      // Only what JSON allows as a bare number; the rest goes in as a string.
      const bool bare = !number.empty() &&
                        number.find_first_not_of("-0123456789.e+") == std::string::npos &&
                        number.front() != '+' && number.front() != '.';
      return bare && Chance(70) ? number : JsonString(number);
    }
    case 3:
    case 4:
    case 5:
      return JsonString(NastyString());
    case 6: {
      std::string out = "[";
      for (std::size_t i = 0, n = Below(4); i < n; ++i)
        out += (i ? "," : "") + JsonValue(depth + 1);
      return out + "]";
    }
    default: {
      std::string out = "{";
      for (std::size_t i = 0, n = Below(4); i < n; ++i) {
        out += (i ? "," : "") + JsonString(kParamNames[Below(kParamNames.size())]) + ":" +
               JsonValue(depth + 1);
      }
      return out + "}";
    }
  }
}

std::string FuzzValues::JsonBody(const e2e::Pairs& params, bool plausible) {
  switch (Below(plausible ? 2 : 10)) {
    case 0:
    case 1: {
      // The parameters as an object; ids sometimes as numbers, tags as an array.
      std::string out = "{";
      bool first = true;
      for (const auto& [name, value] : params) {
        out += (first ? "" : ",") + JsonString(name) + ":";
        first = false;
        const bool numeric =
            !value.empty() && value.find_first_not_of("-0123456789") == std::string::npos;
        if (name == "tags" && Chance(70)) {
          out += "[" + JsonString(value) + "]";
        } else if (numeric && Chance(70)) {
          out += value;
        } else {
          out += JsonString(value);
        }
      }
      return out + "}";
    }
    case 2:
      return JsonValue(0);
    case 3:
      return "{\"a\":";  // cut short
    case 4:
      return std::string(Below(2) ? 200 : 5000, '[');  // deep nesting
    case 5:
      return "{\"video_id\":1,\"video_id\":2}";
    case 6:
      return "[" + JsonValue(1) + "]";
    default: {
      std::string out = "{";
      for (std::size_t i = 0, n = Below(6); i < n; ++i) {
        out += (i ? "," : "") +
               JsonString(Chance(70) ? std::string(kParamNames[Below(kParamNames.size())])
                                     : NastyString()) +
               ":" + JsonValue(1);
      }
      return out + "}";
    }
  }
}

std::string FuzzValues::Multipart(const e2e::Pairs& params, std::string& boundary) {
  boundary = "fuzz" + std::to_string(Below(1000000000));
  std::string out;
  for (const auto& [name, value] : params) {
    out += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
           value + "\r\n";
  }
  for (std::size_t i = 0, files = Below(3); i < files; ++i) {
    constexpr std::array<std::string_view, 5> kFileFields = {"data", "avatar", "background_image",
                                                             "file", "data"};
    std::string bytes;
    const std::size_t kind = Below(10);
    if (kind == 0 && !context_.video_bytes.empty()) {
      bytes = context_.video_bytes;
    } else if (kind == 1 && !context_.image_bytes.empty()) {
      bytes = context_.image_bytes;
    } else if (kind == 2 && !context_.video_bytes.empty()) {
      bytes = context_.video_bytes.substr(0, Below(context_.video_bytes.size()));  // truncated
    } else {
      bytes = RandomBytes(Below(8192));
    }
    out += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" +
           std::string(kFileFields[Below(kFileFields.size())]) + "\"; filename=\"" +
           (Chance(80) ? "clip.mp4" : NastyString()) +
           "\"\r\nContent-Type: " + std::string(kContentTypes[Below(kContentTypes.size())]) +
           "\r\n\r\n" + bytes + "\r\n";
  }
  switch (Below(10)) {
    case 0:
      break;  // no closing delimiter
    case 1:
      out += "--" + boundary;  // closing delimiter without its "--"
      break;
    case 2:
      out = "garbage before the first part\r\n" + out + "--" + boundary + "--\r\n";
      break;
    default:
      out += "--" + boundary + "--\r\n";
  }
  return out;
}

void FuzzValues::Body(const e2e::Pairs& params, bool plausible, std::string& body,
                      std::string& type) {
  switch (Below(20)) {
    case 0:
      body.clear();
      type = Chance(50) ? "application/json" : "";
      return;
    case 1:
    case 2:
    case 3:
    case 4: {
      std::string query = QueryString(params);
      body = std::move(query);
      type = "application/x-www-form-urlencoded";
      break;
    }
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 10: {
      body = JsonBody(params, plausible);
      type = "application/json";
      break;
    }
    case 11:
    case 12:
    case 13:
    case 14:
    case 15: {
      std::string boundary;
      body = Multipart(params, boundary);
      type = "multipart/form-data; boundary=" + boundary;
      break;
    }
    case 16:
      body = RandomBytes(Below(4096));
      type = std::string(kContentTypes[Below(kContentTypes.size())]);
      return;
    case 17:
      // Over http.max_body_bytes now and then; one in a thousand requests overall.
      if (Chance(5)) {
        body = std::string(kMaxFuzzBodyBytes, 'a');
        type = Chance(50) ? "application/json" : "multipart/form-data; boundary=x";
        return;
      }
      body = JsonBody(params, plausible);
      type = "application/json";
      break;
    default:
      body = JsonValue(0);
      type = "application/json";
      break;
  }
  // A content type that lies about the body.
  if (Chance(10)) type = std::string(kContentTypes[Below(kContentTypes.size())]);
}

e2e::Pairs FuzzValues::Headers(const std::string& token, bool douyin) {
  e2e::Pairs headers;
  if (!token.empty()) {
    if (douyin && Chance(30)) {
      headers.emplace_back("token", token);
    } else if (Chance(90)) {
      headers.emplace_back("Authorization", (Chance(95) ? "Bearer " : "bearer  ") + token);
    }
  } else if (Chance(5)) {
    headers.emplace_back("Authorization", Chance(50) ? "Bearer" : "Basic dXNlcjpwYXNz");
  }
  const auto printable = [this](std::size_t size) {
    std::string out(size, 'a');
    for (char& c : out) c = static_cast<char>(0x21 + Below(0x5e));
    return out;
  };
  if (Chance(15)) {
    constexpr std::array<std::string_view, 7> kRanges = {"bytes=0-0",
                                                         "bytes=-1",
                                                         "bytes=5-2",
                                                         "bytes=0-",
                                                         "bytes=0-1,2-3,4-5",
                                                         "bytes=x-y",
                                                         "bytes=99999999999999999999-"};
    headers.emplace_back("Range", std::string(kRanges[Below(kRanges.size())]));
  }
  if (Chance(15)) {
    headers.emplace_back("traceparent",
                         Chance(50) ? "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                                    : printable(Below(80)));
  }
  if (Chance(8)) headers.emplace_back("If-None-Match", Chance(50) ? "*" : printable(40));
  if (Chance(5)) headers.emplace_back("If-Range", printable(30));
  if (Chance(8)) headers.emplace_back("Origin", Chance(50) ? "http://evil.example" : "null");
  if (Chance(8))
    headers.emplace_back("X-Forwarded-For", Chance(50) ? "1.2.3.4, 127.0.0.1" : printable(60));
  if (Chance(5)) headers.emplace_back("X-Request-Id", printable(Below(300)));
  if (Chance(5)) headers.emplace_back("Accept-Encoding", "gzip, br, zstd");
  if (Chance(4)) {
    // Large values, nearly always under the server's 16 KiB header limit; a few go over it
    // (a refusal is the right answer there, not silence).
    headers.emplace_back("X-Fuzz-Large", printable(Chance(90) ? 1024 + Below(8192) : 20000));
  }
  if (Chance(3)) {
    std::string name = "X-";
    for (std::size_t i = 0, n = 1 + Below(20); i < n; ++i) name += kHex[Below(16)];
    headers.emplace_back(std::move(name), printable(Below(50)));
  }
  for (auto& [name, value] : headers) value = HeaderSafe(std::move(value));
  return headers;
}

}  // namespace reel::security
