// PATCH /api/user end to end: JSON and multipart changes, pictures served back under /media
// as JPEGs of the promised size, renames and logins, and refusals that change nothing.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "media_fixtures.hpp"

namespace reel::e2e {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUser = "/api/user";
constexpr std::string_view kLogin = "/api/user/login";
constexpr std::string_view kSecret = "profile-e2e-secret-long-enough-0123456789";
constexpr std::string_view kBoundary = "reel-profile-e2e-boundary-5f1c";
constexpr std::uintmax_t kMaxImageBytes = 5 << 20;

Pairs Bearer(std::string_view token) {
  return {{"Authorization", "Bearer " + std::string(token)}};
}

// One part of a multipart/form-data body: a text field, or a file when `filename` is set.
struct Part {
  std::string name{};
  std::string value{};
  std::string filename{};
  std::string content_type = "application/octet-stream";
};

Part FilePart(std::string name, const fs::path& path, std::string content_type = "image/jpeg") {
  return {std::move(name), ReadBytes(path), path.filename().string(), std::move(content_type)};
}

std::string MultipartBody(const std::vector<Part>& parts) {
  std::string body;
  for (const Part& part : parts) {
    body += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" +
            part.name + "\"";
    if (!part.filename.empty()) {
      body += "; filename=\"" + part.filename + "\"\r\nContent-Type: " + part.content_type;
    }
    body += "\r\n\r\n" + part.value + "\r\n";
  }
  return body + "--" + std::string(kBoundary) + "--\r\n";
}

// Runs the ffmpeg CLI writing `out`; throws with the command when it fails.
void Ffmpeg(const std::string& args, const fs::path& out) {
  const std::string command =
      "ffmpeg -nostdin -loglevel error -y " + args + " '" + out.string() + "'";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("ffmpeg failed: " + command);
}

// Pictures (and things that are not) for every test, made once per suite.
struct Pictures {
  Pictures() {
    const fs::path& d = dir.Path();
    Ffmpeg("-f lavfi -i testsrc=size=640x480 -frames:v 1", jpeg = d / "photo.jpg");
    Ffmpeg("-f lavfi -i testsrc=size=2000x1000 -frames:v 1", wide_png = d / "wide.png");
    Ffmpeg("-f lavfi -i testsrc=size=300x500 -frames:v 1 -c:v libwebp", webp = d / "tall.webp");
    Ffmpeg("-f lavfi -i testsrc=size=320x240:rate=25:duration=1 -c:v libx264 -pix_fmt yuv420p",
           d / "clip.mp4");
    fs::rename(d / "clip.mp4", video_as_jpg = d / "clip.jpg");
    text_as_png = d / "notes.png";
    WriteBytes(text_as_png, "these are notes, not a picture\n");
    oversize = d / "huge.jpg";
    WriteRandomFile(oversize, kMaxImageBytes + 1);
  }
  static void WriteBytes(const fs::path& path, std::string_view bytes) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) throw std::runtime_error("cannot write " + path.string());
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }

  TempDir dir;
  fs::path jpeg, wide_png, webp, video_as_jpg, text_as_png, oversize;
};

class ProfileApiTest : public ServerTest {
 public:
  static void SetUpTestSuite() { pictures_ = std::make_unique<Pictures>(); }
  static void TearDownTestSuite() { pictures_.reset(); }

 protected:
  ServerOptions Options() const override {
    return {.env = {{"REEL_AUTH_JWT_SECRET", std::string(kSecret)}}};
  }
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    alice_ = RegisterApi(Client(), "alice", "password");
    ASSERT_GT(alice_.user_id, 0);
  }

  static const Pictures& Pics() { return *pictures_; }

  HttpResponse PatchJson(std::string_view json, std::string_view token) {
    return Client().Request("PATCH", kUser, json, "application/json", Bearer(token));
  }
  HttpResponse PatchJson(std::string_view json) { return PatchJson(json, alice_.access_token); }
  HttpResponse PatchForm(const std::vector<Part>& parts, const Pairs& headers) {
    return Client().Request("PATCH", kUser, MultipartBody(parts),
                            "multipart/form-data; boundary=" + std::string(kBoundary), headers);
  }
  HttpResponse PatchForm(const std::vector<Part>& parts) {
    return PatchForm(parts, Bearer(alice_.access_token));
  }
  HttpResponse Me() { return Client().Get(kUser, Bearer(alice_.access_token)); }

  // The user object of a 200 answer, as its JSON text (for comparing whole objects).
  static std::string UserJson(const HttpResponse& response) {
    EXPECT_EQ(response.status, 200) << response.Describe();
    const rapidjson::Document doc = response.Json();
    const rapidjson::Value* user = JsonAt(doc, "user");
    if (user == nullptr) return "";
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> writer(out);
    user->Accept(writer);
    return out.GetString();
  }

  fs::path MediaDir() { return Server().MediaDir(); }
  fs::path TmpDir() { return Server().DataDir() / "tmp"; }
  std::string MediaPrefix() { return Server().BaseUrl() + "/media/"; }

  // What a refused PATCH must leave as it was.
  struct Snapshot {
    std::string me;
    std::vector<fs::path> media;
  };
  Snapshot Take() { return {UserJson(Me()), FilesUnder(MediaDir())}; }
  void ExpectUnchanged(const Snapshot& before) {
    EXPECT_EQ(UserJson(Me()), before.me);
    EXPECT_EQ(FilesUnder(MediaDir()), before.media);
    // Spooled uploads and scratch pictures go when the request ends.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!FilesUnder(TmpDir()).empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(FilesUnder(TmpDir()).empty());
  }

  // Fetches a picture URL from this server and returns its size as a JPEG.
  std::optional<ImageSize> FetchJpeg(const std::string& url) {
    EXPECT_EQ(url.rfind(MediaPrefix(), 0), 0u) << url;
    static const std::regex kKey("[0-9a-f]{64}\\.jpg");
    EXPECT_TRUE(std::regex_match(LastSegment(url), kKey)) << url;
    const HttpResponse got = Client().Get(UrlPath(url));
    EXPECT_EQ(got.status, 200) << got.Describe();
    EXPECT_EQ(got.Header("content-type"), "image/jpeg");
    return JpegSize(got.body);
  }

  void ExpectError(const HttpResponse& response, long status, std::string_view reason) {
    SCOPED_TRACE(response.Describe());
    EXPECT_EQ(response.status, status);
    EXPECT_EQ(JsonInt(response.Json(), "code"), status);
    EXPECT_EQ(ApiReason(response), reason);
    EXPECT_FALSE(JsonString(response.Json(), "message").value_or("").empty());
  }

  ApiSession alice_;

 private:
  static std::unique_ptr<Pictures> pictures_;
};

std::unique_ptr<Pictures> ProfileApiTest::pictures_;

TEST_F(ProfileApiTest, JsonPatchChangesTheGivenFieldsAndAnswersTheFullUser) {
  const HttpResponse signed_up = PatchJson(R"({"signature":"hello 世界"})");
  ASSERT_EQ(signed_up.status, 200) << signed_up.Describe();
  EXPECT_EQ(signed_up.Header("content-type").rfind("application/json", 0), 0u);
  const rapidjson::Document doc = signed_up.Json();
  EXPECT_EQ(JsonInt(doc, "user.id"), alice_.user_id);
  EXPECT_EQ(JsonString(doc, "user.name"), "alice");
  EXPECT_EQ(JsonString(doc, "user.signature"), "hello 世界");
  // No picture uploaded: the one drawn for this user (security_auth_e2e_test.cpp).
  EXPECT_EQ(UrlPath(JsonString(doc, "user.avatar").value_or("")),
            "/api/user/" + std::to_string(alice_.user_id) + "/avatar.png");
  for (const char* field :
       {"follow_count", "follower_count", "total_favorited", "work_count", "favorite_count"}) {
    EXPECT_EQ(JsonInt(doc, std::string("user.") + field), 0) << field;
  }
  EXPECT_EQ(JsonBool(doc, "user.is_follow"), false);
  // The answer is the user as GET /api/user shows it.
  EXPECT_EQ(UserJson(signed_up), UserJson(Me()));

  const HttpResponse renamed = PatchJson(R"({"name":"alicia","signature":""})");
  EXPECT_EQ(JsonString(renamed.Json(), "user.name"), "alicia");
  EXPECT_EQ(JsonString(renamed.Json(), "user.signature"), "");
  EXPECT_EQ(UserJson(renamed), UserJson(Me()));
}

TEST_F(ProfileApiTest, MultipartPatchStoresPicturesServedBackAsSizedJpegs) {
  const HttpResponse patched =
      PatchForm({{"signature", "with pictures"},
                 FilePart("avatar", Pics().jpeg),
                 FilePart("background_image", Pics().wide_png, "image/png")});
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  const rapidjson::Document doc = patched.Json();
  EXPECT_EQ(JsonString(doc, "user.signature"), "with pictures");
  const std::string avatar = JsonString(doc, "user.avatar").value_or("");
  const std::string background = JsonString(doc, "user.background_image").value_or("");
  const auto avatar_size = FetchJpeg(avatar);
  ASSERT_TRUE(avatar_size.has_value()) << avatar;
  EXPECT_EQ(avatar_size->width, 256);
  EXPECT_EQ(avatar_size->height, 256);
  const auto background_size = FetchJpeg(background);
  ASSERT_TRUE(background_size.has_value()) << background;
  EXPECT_EQ(background_size->width, 1280);
  EXPECT_EQ(background_size->height, 640);
  EXPECT_EQ(FilesUnder(MediaDir()).size(), 2u);

  // Everyone sees the same URLs, on both APIs.
  const std::string id = std::to_string(alice_.user_id);
  const HttpResponse anonymous = Client().Get(WithQuery(kUser, {{"user_id", id}}));
  EXPECT_EQ(JsonString(anonymous.Json(), "user.avatar"), avatar);
  EXPECT_EQ(JsonString(anonymous.Json(), "user.background_image"), background);
  const HttpResponse douyin = Client().Get(WithQuery("/douyin/user/", {{"user_id", id}}));
  EXPECT_EQ(JsonString(douyin.Json(), "user.avatar"), avatar);

  // A WebP avatar alone replaces the avatar and keeps the rest.
  const HttpResponse again = PatchForm({FilePart("avatar", Pics().webp, "image/webp")});
  ASSERT_EQ(again.status, 200) << again.Describe();
  const std::string webp_avatar = JsonString(again.Json(), "user.avatar").value_or("");
  EXPECT_NE(webp_avatar, avatar);
  const auto webp_size = FetchJpeg(webp_avatar);
  ASSERT_TRUE(webp_size.has_value());
  EXPECT_EQ(webp_size->width, 256);
  EXPECT_EQ(webp_size->height, 256);
  EXPECT_EQ(JsonString(again.Json(), "user.background_image"), background);
  EXPECT_EQ(JsonString(again.Json(), "user.signature"), "with pictures");
  EXPECT_EQ(UserJson(again), UserJson(Me()));
}

TEST_F(ProfileApiTest, AfterARenameOnlyTheNewNameLogsIn) {
  ASSERT_EQ(PatchForm({{"name", "Alicia"}}).status, 200);
  const HttpResponse new_name =
      Client().PostJson(kLogin, ToJson({{"username", "alicia"}, {"password", "password"}}));
  ASSERT_EQ(new_name.status, 200) << new_name.Describe();
  EXPECT_EQ(JsonInt(new_name.Json(), "user_id"), alice_.user_id);
  ExpectError(Client().PostJson(kLogin, ToJson({{"username", "alice"}, {"password", "password"}})),
              401, "LOGIN_FAILED");
  EXPECT_EQ(LoginDouyin(Client(), "Alicia", "password").user_id, alice_.user_id);
  // The old name is free for someone else.
  const ApiSession newcomer = RegisterApi(Client(), "alice", "password2");
  EXPECT_GT(newcomer.user_id, alice_.user_id);
}

TEST_F(ProfileApiTest, ATakenNameIs409AndChangesNothing) {
  ASSERT_GT(RegisterApi(Client(), "Bob", "password").user_id, 0);
  ASSERT_EQ(PatchJson(R"({"signature":"before"})").status, 200);
  const Snapshot before = Take();
  ExpectError(PatchJson(R"({"name":"bob","signature":"after"})"), 409, "USERNAME_TAKEN");
  ExpectError(PatchForm({{"name", "BOB"}, {"signature", "after"}, FilePart("avatar", Pics().jpeg)}),
              409, "USERNAME_TAKEN");
  ExpectUnchanged(before);
  // Her own name in another case is not taken.
  EXPECT_EQ(JsonString(PatchJson(R"({"name":"ALICE"})").Json(), "user.name"), "ALICE");
}

TEST_F(ProfileApiTest, BadTextIs400AndChangesNothing) {
  ASSERT_EQ(PatchJson(R"({"signature":"kept"})").status, 200);
  const Snapshot before = Take();
  ExpectError(PatchJson(ToJson({{"signature", std::string(201, 's')}})), 400, "SIGNATURE_INVALID");
  ExpectError(PatchJson(R"({"signature":"two\nlines"})"), 400, "SIGNATURE_INVALID");
  ExpectError(PatchForm({{"signature", "broken \xff utf-8"}}), 400, "SIGNATURE_INVALID");
  ExpectError(PatchJson(R"({"name":""})"), 400, "USERNAME_INVALID");
  ExpectError(PatchJson(ToJson({{"name", std::string(33, 'n')}, {"signature", "ok"}})), 400,
              "USERNAME_INVALID");
  // A bad part spoils the good ones: the picture is not stored either.
  ExpectError(PatchForm({{"signature", "a\tb"}, FilePart("avatar", Pics().jpeg)}), 400,
              "SIGNATURE_INVALID");
  ExpectError(PatchJson("{}"), 400, "PARAM_MISSING");
  ExpectError(PatchJson(R"({"nickname":"x"})"), 400, "PARAM_MISSING");
  ExpectError(PatchForm({}), 400, "PARAM_MISSING");
  ExpectError(PatchJson(R"({"avatar":"https://elsewhere.test/me.jpg"})"), 400, "PARAM_INVALID");
  const HttpResponse not_json = PatchJson(R"({"signature": )");
  EXPECT_EQ(not_json.status, 400) << not_json.Describe();
  ExpectUnchanged(before);
}

TEST_F(ProfileApiTest, WhatIsNotAPictureIs400AndChangesNothing) {
  const Snapshot before = Take();
  ExpectError(PatchForm({FilePart("avatar", Pics().video_as_jpg)}), 400, "IMAGE_INVALID");
  ExpectError(PatchForm({FilePart("background_image", Pics().text_as_png, "image/png")}), 400,
              "IMAGE_INVALID");
  // With a good picture and good text beside it: nothing of it is kept.
  ExpectError(PatchForm({{"signature", "new"},
                         FilePart("avatar", Pics().jpeg),
                         FilePart("background_image", Pics().video_as_jpg)}),
              400, "IMAGE_INVALID");
  ExpectError(PatchForm({FilePart("cover", Pics().jpeg)}), 400, "PARAM_INVALID");
  ExpectError(PatchForm({FilePart("avatar", Pics().jpeg), FilePart("avatar", Pics().webp)}), 400,
              "PARAM_INVALID");
  ExpectUnchanged(before);
}

TEST_F(ProfileApiTest, OversizePicturesAre413AndChangeNothing) {
  const Snapshot before = Take();
  ExpectError(PatchForm({{"signature", "new"}, FilePart("avatar", Pics().oversize)}), 413,
              "IMAGE_TOO_LARGE");
  ExpectUnchanged(before);

  // A body larger than two pictures can be is cut off early (or the connection closed
  // before the answer could be read, when refused on Content-Length alone).
  TempDir scratch;
  const fs::path huge = scratch.Path() / "huge-body.jpg";
  WriteRandomFile(huge, 2 * kMaxImageBytes + (1 << 20));
  const HttpResponse cut = PatchForm({FilePart("avatar", huge)});
  if (cut.status == 0) {
    EXPECT_FALSE(cut.error.empty());
  } else {
    ExpectError(cut, 413, "BODY_TOO_LARGE");
  }
  ExpectUnchanged(before);
  // The server still takes pictures within the limit.
  EXPECT_EQ(PatchForm({FilePart("avatar", Pics().jpeg)}).status, 200);
}

TEST_F(ProfileApiTest, OnlyAValidAccessTokenInTheHeaderMayPatch) {
  const Snapshot before = Take();
  const std::string body = R"({"signature":"intruder"})";
  ExpectError(Client().Request("PATCH", kUser, body, "application/json"), 401, "TOKEN_MISSING");
  // Tokens in URLs do not count on /api.
  ExpectError(Client().Request("PATCH", WithQuery(kUser, {{"token", alice_.access_token}}), body,
                               "application/json"),
              401, "TOKEN_MISSING");
  ExpectError(PatchJson(body, "not-a-token"), 401, "TOKEN_INVALID");
  ExpectError(PatchJson(body, alice_.refresh_token), 401, "TOKEN_INVALID");
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  const std::string sub = R"({"sub":")" + std::to_string(alice_.user_id) + R"(","typ":"access",)";
  ExpectError(PatchJson(body, MakeJwt(header,
                                      sub + R"("iat":)" + std::to_string(UnixNow() - 120) +
                                          R"(,"exp":)" + std::to_string(UnixNow() - 60) + "}",
                                      kSecret)),
              401, "TOKEN_EXPIRED");
  const std::string valid_claims = sub + R"("iat":)" + std::to_string(UnixNow()) + R"(,"exp":)" +
                                   std::to_string(UnixNow() + 600) + "}";
  ExpectError(PatchJson(body, MakeJwt(header, valid_claims, "a-forger-secret-long-enough-0123456")),
              401, "TOKEN_INVALID");
  ExpectError(PatchForm({{"signature", "intruder"}, FilePart("avatar", Pics().jpeg)}, {}), 401,
              "TOKEN_MISSING");
  ExpectUnchanged(before);
  // The same claims signed with the server's secret are accepted: the refusals were real.
  EXPECT_EQ(PatchJson(body, MakeJwt(header, valid_claims, kSecret)).status, 200);
}

}  // namespace
}  // namespace reel::e2e
