#include "api_helpers.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace reel::e2e {
namespace {

constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

std::string Payload(std::int64_t sub, std::string_view typ, std::int64_t exp) {
  return R"({"sub":")" + std::to_string(sub) + R"(","iat":)" + std::to_string(UnixNow() - 5) +
         R"(,"exp":)" + std::to_string(exp) + R"(,"typ":")" + std::string(typ) + "\"}";
}

}  // namespace

ServerOptions KnownSecretOptions() {
  return {.env = {{"REEL_AUTH_JWT_SECRET", std::string(kKnownSecret)}}};
}

Pairs Bearer(std::string_view token) {
  return {{"Authorization", "Bearer " + std::string(token)}};
}

::testing::AssertionResult IsApiError(const HttpResponse& response, long status,
                                      std::string_view reason) {
  const rapidjson::Document body = response.Json();
  if (response.status != status || JsonInt(body, "code") != status ||
      JsonString(body, "reason") != std::string(reason) ||
      JsonString(body, "message").value_or("").empty()) {
    return ::testing::AssertionFailure()
           << "expected " << status << " " << reason << ", got " << response.Describe();
  }
  return ::testing::AssertionSuccess();
}

std::vector<BadToken> BadTokensFor(std::int64_t user_id) {
  return {
      {"expired", MakeJwt(kHs256Header, Payload(user_id, "access", UnixNow() - 60), kKnownSecret),
       "TOKEN_EXPIRED"},
      {"forged",
       MakeJwt(kHs256Header, Payload(user_id, "access", UnixNow() + 600),
               "some-other-secret-of-sufficient-length-42"),
       "TOKEN_INVALID"},
      {"refresh as access",
       MakeJwt(kHs256Header, Payload(user_id, "refresh", UnixNow() + 600), kKnownSecret),
       "TOKEN_INVALID"},
      {"garbage", "not-a-jwt", "TOKEN_INVALID"},
  };
}

std::string ForgeAccessToken(std::int64_t user_id) {
  return MakeJwt(kHs256Header, Payload(user_id, "access", UnixNow() + 600), kKnownSecret);
}

std::int64_t ApiPublish(HttpClient& client, std::string_view token,
                        const std::filesystem::path& file, std::string_view title,
                        std::string_view description, const std::vector<std::string>& tags) {
  const HttpResponse upload = client.PostMultipartFiles(
      "/api/video/upload", {}, {{.field = "data", .path = file, .content_type = "video/mp4"}},
      Bearer(token));
  const std::optional<std::string> key = JsonString(upload.Json(), "media.media_key");
  if (upload.status != 200 || !key) {
    ADD_FAILURE() << "upload refused: " << upload.Describe();
    return 0;
  }
  rapidjson::Document body(rapidjson::kObjectType);
  auto& alloc = body.GetAllocator();
  body.AddMember("media_key", rapidjson::Value(key->c_str(), alloc), alloc);
  body.AddMember("title",
                 rapidjson::Value(title.data(), static_cast<unsigned>(title.size()), alloc), alloc);
  body.AddMember(
      "description",
      rapidjson::Value(description.data(), static_cast<unsigned>(description.size()), alloc),
      alloc);
  rapidjson::Value tag_array(rapidjson::kArrayType);
  for (const std::string& tag : tags)
    tag_array.PushBack(rapidjson::Value(tag.c_str(), alloc), alloc);
  body.AddMember("tags", tag_array, alloc);
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> writer(text);
  body.Accept(writer);
  const HttpResponse created =
      client.PostJson("/api/video/create", text.GetString(), Bearer(token));
  const std::optional<std::int64_t> id = JsonInt(created.Json(), "video.id");
  if (created.status != 200 || !id) {
    ADD_FAILURE() << "create refused: " << created.Describe();
    return 0;
  }
  return *id;
}

std::vector<std::int64_t> ApiIds(const rapidjson::Value& body, std::string_view key) {
  std::vector<std::int64_t> ids;
  const rapidjson::Value* list = JsonAt(body, key);
  if (!list || !list->IsArray()) return ids;
  for (const auto& item : list->GetArray()) {
    if (auto id = JsonInt(item, "id")) ids.push_back(*id);
  }
  return ids;
}

std::vector<std::int64_t> ApiAllIds(const std::function<HttpResponse(const std::string&)>& fetch,
                                    std::string_view key, int max_pages) {
  std::vector<std::int64_t> all;
  std::string cursor;
  for (int page = 0; page < max_pages; ++page) {
    const HttpResponse response = fetch(cursor);
    const rapidjson::Document body = response.Json();
    if (response.status != 200) {
      ADD_FAILURE() << "page " << page << " failed: " << response.Describe();
      return all;
    }
    const std::vector<std::int64_t> ids = ApiIds(body, key);
    all.insert(all.end(), ids.begin(), ids.end());
    const std::string next = JsonString(body, "next_cursor").value_or("");
    if (JsonBool(body, "has_more") != !next.empty()) {
      ADD_FAILURE() << "has_more disagrees with next_cursor: " << response.Describe();
    }
    if (next.empty()) return all;
    cursor = next;
  }
  ADD_FAILURE() << "more than " << max_pages << " pages";
  return all;
}

}  // namespace reel::e2e
