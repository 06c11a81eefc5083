#include "authz_world.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace reel::security {
namespace {

constexpr std::string_view kPassword = "password";
constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";
// Far above any id the world makes, below 2^53.
constexpr std::int64_t kUnknownUserId = 7'000'000'000'000;

std::string Payload(std::int64_t sub, std::string_view typ, std::int64_t exp) {
  return R"({"sub":")" + std::to_string(sub) + R"(","iat":)" + std::to_string(e2e::UnixNow() - 5) +
         R"(,"exp":)" + std::to_string(exp) + R"(,"typ":")" + std::string(typ) + "\"}";
}

std::string Id(std::int64_t id) {
  return std::to_string(id);
}

}  // namespace

std::string_view CallerName(Caller caller) {
  switch (caller) {
    case Caller::kOwner:
      return "owner";
    case Caller::kOther:
      return "another user";
    case Caller::kNone:
      return "no token";
    case Caller::kExpired:
      return "expired token";
    case Caller::kBadSignature:
      return "token signed with another secret";
    case Caller::kAlgNone:
      return "alg none token";
    case Caller::kHs512:
      return "HS512 token";
    case Caller::kTamperedSub:
      return "token with a tampered subject";
    case Caller::kRefreshAsAccess:
      return "refresh token as access token";
    case Caller::kUnknownUser:
      return "token of a user that does not exist";
  }
  return "?";
}

std::string_view RefusalReason(Caller caller) {
  switch (caller) {
    case Caller::kNone:
      return "TOKEN_MISSING";
    case Caller::kExpired:
      return "TOKEN_EXPIRED";
    default:
      return "TOKEN_INVALID";
  }
}

bool AuthzWorld::Ok(const e2e::HttpResponse& response, std::string_view what) {
  if (response.status == 200) return true;
  ADD_FAILURE() << "building the world: " << what << " refused: " << response.Describe();
  return false;
}

std::int64_t AuthzWorld::Publish(const e2e::ApiSession& who, std::string_view title) {
  return e2e::ApiPublish(client_, who.access_token, media_.Get(e2e::MediaKind::kFaststartMp4),
                         title);
}

std::int64_t AuthzWorld::Comment(const e2e::ApiSession& who, std::int64_t on,
                                 std::string_view text) {
  const e2e::HttpResponse response = Api(
      "POST", "/api/comment/create",
      R"({"video_id":)" + Id(on) + R"(,"content":")" + std::string(text) + "\"}", who.access_token);
  Ok(response, "a comment");
  return e2e::JsonInt(response.Json(), "comment.id").value_or(0);
}

bool AuthzWorld::Build() {
  alice = e2e::RegisterApi(client_, "alice", kPassword);
  bob = e2e::RegisterApi(client_, "bob", kPassword);
  mallory = e2e::RegisterApi(client_, "mallory", kPassword);
  carol = e2e::RegisterApi(client_, "carol", kPassword);
  if (alice.user_id == 0 || bob.user_id == 0 || mallory.user_id == 0 || carol.user_id == 0) {
    return false;
  }
  video = Publish(alice, "alice's video");
  doomed_video = Publish(alice, "alice's doomed video");
  bob_video = Publish(bob, "bob's video");
  if (video == 0 || doomed_video == 0 || bob_video == 0) return false;
  comment = Comment(alice, video, "alice's comment");
  doomed_api_comment = Comment(alice, video, "alice's comment, deleted through /api");
  doomed_douyin_comment = Comment(alice, video, "alice's comment, deleted through /douyin");

  const e2e::HttpResponse upload = ApiUpload(e2e::MediaKind::kWebm, alice.access_token);
  unpublished_key = e2e::JsonString(upload.Json(), "media.media_key").value_or("");
  const std::string to_bob = R"({"to_user_id":)" + Id(bob.user_id);
  const std::string to_alice = R"({"to_user_id":)" + Id(alice.user_id);
  secret = "the secret between alice and bob";
  bob_to_alice = "hi alice, only you can read this";
  const bool all =
      Ok(upload, "alice's upload") &&
      Ok(Api("POST", "/api/favorite/action", R"({"video_id":)" + Id(video) + R"(,"action":"like"})",
             alice.access_token),
         "alice's like") &&
      Ok(Api("POST", "/api/relation/control", to_bob + R"(,"action":"follow"})",
             alice.access_token),
         "alice following bob") &&
      Ok(Api("POST", "/api/relation/control", to_alice + R"(,"action":"follow"})",
             bob.access_token),
         "bob following alice") &&
      Ok(Api("POST", "/api/message/send", to_alice + R"(,"content":")" + bob_to_alice + "\"}",
             bob.access_token),
         "bob's message") &&
      Ok(Api("POST", "/api/message/send", to_bob + R"(,"content":")" + secret + "\"}",
             alice.access_token),
         "alice's message");
  return all && comment != 0 && doomed_api_comment != 0 && doomed_douyin_comment != 0 &&
         !unpublished_key.empty();
}

std::string AuthzWorld::Token(Caller caller, std::string_view typ) const {
  const std::string_view secret_key = e2e::kKnownSecret;
  const std::int64_t owner = alice.user_id;
  const std::int64_t later = e2e::UnixNow() + 600;
  const bool refresh = typ == "refresh";
  switch (caller) {
    case Caller::kOwner:
      return refresh ? alice.refresh_token : alice.access_token;
    case Caller::kOther:
      return refresh ? mallory.refresh_token : mallory.access_token;
    case Caller::kNone:
      return {};
    case Caller::kExpired:
      return e2e::MakeJwt(kHs256Header, Payload(owner, typ, e2e::UnixNow() - 60), secret_key);
    case Caller::kBadSignature:
      return e2e::MakeJwt(kHs256Header, Payload(owner, typ, later),
                          "another-secret-of-the-same-length-0123456");
    case Caller::kAlgNone:
      return e2e::Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
             e2e::Base64UrlEncode(Payload(owner, typ, later)) + ".";
    case Caller::kHs512:
      return e2e::MakeJwt(R"({"alg":"HS512","typ":"JWT"})", Payload(owner, typ, later), secret_key,
                          e2e::JwtMac::kHs512);
    case Caller::kTamperedSub: {
      // mallory's header and signature around a payload that names alice.
      const std::string& genuine = refresh ? mallory.refresh_token : mallory.access_token;
      const auto first = genuine.find('.');
      const auto last = genuine.rfind('.');
      return genuine.substr(0, first + 1) + e2e::Base64UrlEncode(Payload(owner, typ, later)) +
             genuine.substr(last);
    }
    case Caller::kRefreshAsAccess:
      return refresh ? alice.access_token : alice.refresh_token;
    case Caller::kUnknownUser:
      return e2e::MakeJwt(kHs256Header, Payload(kUnknownUserId, typ, later), secret_key);
  }
  return {};
}

e2e::HttpResponse AuthzWorld::Api(std::string_view method, std::string_view path,
                                  std::string_view json, std::string_view token) {
  const e2e::Pairs headers = token.empty() ? e2e::Pairs{} : e2e::Bearer(token);
  return client_.Request(method, path, json, json.empty() ? "" : "application/json", headers);
}

e2e::HttpResponse AuthzWorld::ApiGet(std::string_view path, const e2e::Pairs& query,
                                     std::string_view token) {
  return Api("GET", e2e::WithQuery(path, query), {}, token);
}

e2e::HttpResponse AuthzWorld::Douyin(std::string_view method, std::string_view path,
                                     e2e::Pairs params, std::string_view token) {
  if (!token.empty()) params.emplace_back("token", std::string(token));
  if (method == "GET") return client_.Get(e2e::WithQuery(path, params));
  return client_.PostForm(path, params);
}

e2e::HttpResponse AuthzWorld::ApiUpload(e2e::MediaKind kind, std::string_view token) {
  const e2e::Pairs headers = token.empty() ? e2e::Pairs{} : e2e::Bearer(token);
  return client_.PostMultipartFiles(
      "/api/video/upload", {},
      {{.field = "data", .path = media_.Get(kind), .content_type = "video/mp4"}}, headers);
}

e2e::HttpResponse AuthzWorld::DouyinPublish(e2e::MediaKind kind, std::string_view title,
                                            std::string_view token) {
  e2e::Pairs fields = {{"title", std::string(title)}};
  if (!token.empty()) fields.emplace_back("token", std::string(token));
  return client_.PostMultipartFiles("/douyin/publish/action", fields,
                                    {{.field = "data",
                                      .path = media_.Get(kind),
                                      .filename = "clip.mp4",
                                      .content_type = "video/mp4"}});
}

Snapshot AuthzWorld::Read() {
  const std::string& as = alice.access_token;
  const std::string a = Id(alice.user_id);
  const std::string b = Id(bob.user_id);
  const std::pair<std::string, std::string> reads[] = {
      {"alice", "/api/user?user_id=" + a},
      {"bob", "/api/user?user_id=" + b},
      {"alice's video", "/api/video/" + Id(video)},
      {"alice's doomed video", "/api/video/" + Id(doomed_video)},
      {"bob's video", "/api/video/" + Id(bob_video)},
      {"alice's videos", "/api/video?limit=100&user_id=" + a},
      {"bob's videos", "/api/video?limit=100&user_id=" + b},
      {"comments on alice's video", "/api/comment/get?limit=100&video_id=" + Id(video)},
      {"alice's likes", "/api/favorite/videos?limit=100&user_id=" + a},
      {"alice's follows", "/api/relation/list?type=follow&limit=100&user_id=" + a},
      {"alice's followers", "/api/relation/list?type=follower&limit=100&user_id=" + a},
      {"alice's friends", "/api/relation/list?type=friend&limit=100&user_id=" + a},
      {"bob's follows", "/api/relation/list?type=follow&limit=100&user_id=" + b},
      {"alice's chat with bob", "/api/message/chat?limit=100&to_user_id=" + b},
      {"alice's collections", "/api/favorite/collections?limit=100&user_id=" + a},
      {"alice's collection setting", "/api/favorite/settings"},
  };
  Snapshot snapshot;
  for (const auto& [name, path] : reads) {
    const e2e::HttpResponse response = Api("GET", path, {}, as);
    snapshot.emplace_back(name, std::to_string(response.status) + " " + response.body);
  }
  // Uploads that a refusal should not have kept (names are content hashes).
  std::vector<std::string> files;
  for (const auto& file : e2e::FilesUnder(server_.DataDir() / "media")) {
    files.push_back(file.filename().string());
  }
  std::sort(files.begin(), files.end());
  std::string listing;
  for (const std::string& file : files) listing += file + "\n";
  snapshot.emplace_back("media files", listing);
  return snapshot;
}

std::vector<std::int64_t> AuthzWorld::Ids(const e2e::HttpResponse& response, std::string_view key) {
  return e2e::ApiIds(response.Json(), key);
}

std::string SnapshotDiff(const Snapshot& before, const Snapshot& after) {
  // Where a part changed, the text around the first difference (parts are long JSON).
  constexpr std::size_t kContext = 120;
  std::string out;
  for (std::size_t i = 0; i < std::max(before.size(), after.size()); ++i) {
    const std::string none = "-";
    const std::string& was = i < before.size() ? before[i].second : none;
    const std::string& now = i < after.size() ? after[i].second : none;
    if (was == now) continue;
    std::size_t at = 0;
    while (at < was.size() && at < now.size() && was[at] == now[at]) ++at;
    const std::size_t from = at > kContext ? at - kContext : 0;
    out += "\n  " + (i < before.size() ? before[i].first : after[i].first) + " changed at " +
           std::to_string(at) + ":\n    before: ..." + was.substr(from, 2 * kContext) +
           "\n    after:  ..." + now.substr(from, 2 * kContext);
  }
  return out;
}

}  // namespace reel::security
