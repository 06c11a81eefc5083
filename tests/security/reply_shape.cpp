#include "reply_shape.hpp"

#include <rapidjson/document.h>

#include <initializer_list>
#include <map>
#include <utility>
#include <vector>

namespace reel::security {
namespace {

// The server's own rule for its prefixes: "/api" and "/api/..." but not "/apix".
bool UnderPrefix(std::string_view path, std::string_view prefix) {
  return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

std::string_view WithoutTrailingSlash(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

bool IsUpperSnake(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. JSON text must
// be UTF-8 (RFC 8259), and strict parsers (Python's, rapidjson's) refuse it otherwise.
bool IsUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
    if (byte < 0x80) {
      ++i;
      continue;
    } else if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      if (byte == 0xE0) low = 0xA0;
      if (byte == 0xED) high = 0x9F;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      if (byte == 0xF0) low = 0x90;
      if (byte == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) return false;
    }
    i += length;
  }
  return true;
}

std::string Excerpt(const e2e::HttpResponse& response) {
  return response.Describe();
}

std::optional<Problem> Fail(std::string kind, std::string detail) {
  return Problem{std::move(kind), std::move(detail)};
}

// Fields a success of each /api route documents (api/openapi.yaml); the key is "METHOD
// pattern" as `reel routes` prints it.
const std::map<std::string, std::vector<std::string>, std::less<>>& ApiSuccessFields() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> fields = {
      {"POST /api/user/register", {"user_id", "access_token", "refresh_token", "expires_in"}},
      {"POST /api/user/login", {"user_id", "access_token", "refresh_token", "expires_in"}},
      {"POST /api/user/refresh", {"user_id", "access_token", "refresh_token", "expires_in"}},
      {"GET /api/user", {"user"}},
      {"PATCH /api/user", {"user"}},
      {"POST /api/video/upload", {"media"}},
      {"POST /api/video/create", {"video"}},
      {"POST /api/video/creat", {"video"}},
      {"GET /api/video", {"videos", "next_cursor", "has_more"}},
      {"GET /api/video/{id}", {"video"}},
      {"PATCH /api/video/{id}", {"video"}},
      {"DELETE /api/video/{id}", {"deleted"}},
      {"GET /api/feed", {"videos", "next_cursor", "has_more"}},
      {"GET /api/search", {"next_cursor", "has_more"}},
      {"GET /api/video/search", {"videos", "next_cursor", "has_more"}},
      {"GET /api/video/get/title", {"videos", "next_cursor", "has_more"}},
      {"POST /api/comment/create", {"comment"}},
      {"DELETE /api/comment/{id}", {"deleted"}},
      {"GET /api/comment/get", {"comments", "next_cursor", "has_more"}},
      {"POST /api/favorite/action", {"changed", "is_favorite", "favorite_count"}},
      {"GET /api/favorite/videos", {"videos", "next_cursor", "has_more"}},
      {"POST /api/favorite/collect", {"changed", "is_collected", "collect_count"}},
      {"GET /api/favorite/collections", {"videos", "next_cursor", "has_more"}},
      {"GET /api/favorite/settings", {"collections_public"}},
      {"POST /api/favorite/settings", {"collections_public"}},
      {"POST /api/favorite/share", {"share_url", "counted", "share_count"}},
      {"POST /api/relation/control", {"changed", "is_follow"}},
      {"GET /api/relation/list", {"users", "next_cursor", "has_more"}},
      {"POST /api/message/send", {"message"}},
      {"GET /api/message/chat", {"messages", "next_after"}},
  };
  return fields;
}

// The field a successful Douyin answer of each route carries besides status_code/status_msg.
const std::map<std::string, std::vector<std::string>, std::less<>>& DouyinSuccessFields() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> fields = {
      {"POST /douyin/user/register", {"user_id", "token"}},
      {"POST /douyin/user/login", {"user_id", "token"}},
      {"GET /douyin/user", {"user"}},
      {"GET /douyin/publish/list", {"video_list"}},
      {"GET /douyin/feed", {"video_list"}},
      {"GET /douyin/favorite/list", {"video_list"}},
      {"GET /douyin/comment/list", {"comment_list"}},
      {"GET /douyin/relation/follow/list", {"user_list"}},
      {"GET /douyin/relation/follower/list", {"user_list"}},
      {"GET /douyin/relation/friend/list", {"user_list"}},
      {"GET /douyin/message/chat", {"message_list"}},
  };
  return fields;
}

std::optional<Problem> MissingFields(
    const std::map<std::string, std::vector<std::string>, std::less<>>& table, const Route* route,
    const rapidjson::Document& body, const e2e::HttpResponse& response) {
  if (route == nullptr) return std::nullopt;
  const auto it = table.find(route->Name());
  if (it == table.end()) return std::nullopt;
  for (const std::string& field : it->second) {
    if (!body.HasMember(field.c_str())) {
      return Fail("success shape",
                  route->Name() + " succeeded without '" + field + "': " + Excerpt(response));
    }
  }
  return std::nullopt;
}

std::optional<Problem> CheckApi(const Exchange& exchange, const e2e::HttpResponse& response,
                                std::string_view path) {
  const std::string_view bare = WithoutTrailingSlash(path);
  const bool document = bare == "/api/openapi.yaml" || bare == "/api/docs";
  if (document && response.status < 400) return std::nullopt;  // YAML and HTML, not JSON
  const std::string type = response.Header("content-type");
  // A user's drawn avatar and background are pictures; their refusals are still JSON.
  const bool picture = bare.starts_with("/api/user/") &&
                       (bare.ends_with("/avatar.png") || bare.ends_with("/background.png"));
  if (picture && response.status < 400) {
    if (response.status == 304 || type == "image/png") return std::nullopt;
    return Fail("content type", "a drawn picture of type '" + type + "': " + Excerpt(response));
  }
  if (!type.starts_with("application/json")) {
    return Fail("content type", "an /api answer of type '" + type + "': " + Excerpt(response));
  }
  if (!IsUtf8(response.body)) {
    return Fail("invalid UTF-8", "an /api answer whose JSON is not UTF-8: " + Excerpt(response));
  }
  const rapidjson::Document body = response.Json();
  if (!body.IsObject()) {
    return Fail("/api shape", "an /api answer that is not a JSON object: " + Excerpt(response));
  }
  if (response.status >= 400) {
    const auto code = body.FindMember("code");
    const auto reason = body.FindMember("reason");
    const auto message = body.FindMember("message");
    if (code == body.MemberEnd() || !code->value.IsInt64() ||
        code->value.GetInt64() != response.status) {
      return Fail("/api shape",
                  "an /api error whose code is not its HTTP status: " + Excerpt(response));
    }
    if (reason == body.MemberEnd() || !reason->value.IsString() ||
        !IsUpperSnake(reason->value.GetString())) {
      return Fail("/api shape",
                  "an /api error without an UPPER_SNAKE reason: " + Excerpt(response));
    }
    if (message == body.MemberEnd() || !message->value.IsString() ||
        message->value.GetStringLength() == 0) {
      return Fail("/api shape", "an /api error without a message: " + Excerpt(response));
    }
    return std::nullopt;
  }
  return MissingFields(ApiSuccessFields(), exchange.route, body, response);
}

std::optional<Problem> CheckDouyin(const Exchange& exchange, const e2e::HttpResponse& response) {
  if (!IsUtf8(response.body)) {
    return Fail("invalid UTF-8", "a /douyin answer whose JSON is not UTF-8: " + Excerpt(response));
  }
  const rapidjson::Document body = response.Json();
  if (!body.IsObject()) {
    return Fail("/douyin shape",
                "a /douyin answer that is not a JSON object: " + Excerpt(response));
  }
  const auto code = body.FindMember("status_code");
  const auto message = body.FindMember("status_msg");
  if (code == body.MemberEnd() || !code->value.IsInt64()) {
    return Fail("/douyin shape",
                "a /douyin answer without an integer status_code: " + Excerpt(response));
  }
  if (message == body.MemberEnd() || !message->value.IsString()) {
    return Fail("/douyin shape",
                "a /douyin answer without a string status_msg: " + Excerpt(response));
  }
  if (code->value.GetInt64() != 0) {
    if (message->value.GetStringLength() == 0) {
      return Fail("/douyin shape",
                  "a /douyin refusal with an empty status_msg: " + Excerpt(response));
    }
    return std::nullopt;
  }
  return MissingFields(DouyinSuccessFields(), exchange.route, body, response);
}

}  // namespace

std::string_view PathOf(std::string_view target) {
  return target.substr(0, target.find('?'));
}

std::optional<Problem> CheckReply(const Exchange& exchange, const e2e::HttpResponse& response) {
  if (response.status == 0) {
    return Fail("no reply", "no HTTP reply (" + response.error + ")");
  }
  if (response.status >= 500) return Fail("5xx", Excerpt(response));
  // A HEAD answer and a 304 have no body to check.
  if (exchange.method == "HEAD" || response.status == 304) return std::nullopt;
  const std::string_view path = PathOf(exchange.target);
  if (UnderPrefix(path, "/api")) return CheckApi(exchange, response, path);
  if (UnderPrefix(path, "/douyin")) return CheckDouyin(exchange, response);
  // /media answers bytes, but its refusals are /api errors (416 aside: it has no body).
  if (UnderPrefix(path, "/media") && response.status >= 400 && response.status != 416) {
    return CheckApi(exchange, response, path);
  }
  return std::nullopt;
}

}  // namespace reel::security
