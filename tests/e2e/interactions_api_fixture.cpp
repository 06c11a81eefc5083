#include "interactions_api_fixture.hpp"

#include <utility>

namespace reel::e2e {
namespace {

constexpr std::string_view kPassword = "password";

ApiReply MakeApiReply(HttpResponse response) {
  ApiReply reply{.response = std::move(response)};
  reply.json.Parse(reply.response.body.c_str());
  return reply;
}

// Bearer headers, or none for an anonymous call.
Pairs AuthHeaders(std::string_view token) {
  return token.empty() ? Pairs{} : Bearer(token);
}

}  // namespace

::testing::AssertionResult IsApiOk(const ApiReply& reply) {
  if (reply.response.status == 200 && reply.json.IsObject()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected 200 with a JSON object: " << reply.Describe();
}

::testing::AssertionResult IsApiError(const ApiReply& reply, long status, std::string_view reason) {
  return IsApiError(reply.response, status, reason);
}

std::string VideoActionJson(std::int64_t video_id, std::string_view action) {
  return R"({"video_id":)" + std::to_string(video_id) + R"(,"action":")" + std::string(action) +
         R"("})";
}

std::string UserActionJson(std::int64_t to_user_id, std::string_view action) {
  return R"({"to_user_id":)" + std::to_string(to_user_id) + R"(,"action":")" + std::string(action) +
         R"("})";
}

std::vector<std::int64_t> ReplyIds(const ApiReply& reply, std::string_view key) {
  std::vector<std::int64_t> ids;
  const rapidjson::Value* items = JsonAt(reply.json, key);
  if (items == nullptr || !items->IsArray()) {
    ADD_FAILURE() << "no array at " << key << ": " << reply.Describe();
    return ids;
  }
  for (const rapidjson::Value& item : items->GetArray()) {
    ids.push_back(JsonInt(item, "id").value_or(0));
  }
  return ids;
}

std::vector<std::int64_t> WalkApiList(const std::function<ApiReply(const std::string&)>& fetch,
                                      std::string_view key, int max_pages) {
  std::vector<std::int64_t> ids;
  std::string cursor;
  for (int page = 0; page < max_pages; ++page) {
    const ApiReply reply = fetch(cursor);
    if (!IsApiOk(reply)) {
      ADD_FAILURE() << "page " << page << " refused: " << reply.Describe();
      return ids;
    }
    const std::vector<std::int64_t> page_ids = ReplyIds(reply, key);
    ids.insert(ids.end(), page_ids.begin(), page_ids.end());
    const std::optional<std::string> next = JsonString(reply.json, "next_cursor");
    const std::optional<bool> more = JsonBool(reply.json, "has_more");
    if (!next || !more) {
      ADD_FAILURE() << "page " << page << " lacks next_cursor or has_more: " << reply.Describe();
      return ids;
    }
    EXPECT_EQ(*more, !next->empty()) << reply.Describe();
    if (!*more) return ids;
    // A page that says more follow is never empty: the server looks one item ahead.
    EXPECT_FALSE(page_ids.empty()) << reply.Describe();
    cursor = *next;
  }
  ADD_FAILURE() << "the list did not end within " << max_pages << " pages";
  return ids;
}

ServerOptions ApiInteractionTest::Options() const {
  ServerOptions options = InteractionTest::Options();
  options.env["REEL_AUTH_JWT_SECRET"] = std::string(kKnownSecret);
  return options;
}

ApiSession ApiInteractionTest::NewApiUser(std::string_view name) {
  const ApiSession session = RegisterApi(Client(), name, kPassword);
  EXPECT_GT(session.user_id, 0) << "could not register " << name;
  return session;
}

ApiReply ApiInteractionTest::PostApi(std::string_view path, std::string_view json,
                                     std::string_view token) {
  return MakeApiReply(Client().PostJson(path, json, AuthHeaders(token)));
}

ApiReply ApiInteractionTest::GetApi(std::string_view path, const Pairs& query,
                                    std::string_view token) {
  return MakeApiReply(Client().Get(WithQuery(path, query), AuthHeaders(token)));
}

ApiReply ApiInteractionTest::DeleteApi(std::string_view path, std::string_view token) {
  return MakeApiReply(Client().Request("DELETE", path, {}, {}, AuthHeaders(token)));
}

ApiReply ApiInteractionTest::Send(std::string_view method, std::string_view path,
                                  std::string_view json, const Pairs& headers) {
  return MakeApiReply(
      Client().Request(method, path, json, json.empty() ? "" : "application/json", headers));
}

std::string ApiInteractionTest::ExpiredToken(std::int64_t user_id) {
  for (const BadToken& bad : BadTokensFor(user_id)) {
    if (bad.reason == "TOKEN_EXPIRED") return bad.token;
  }
  ADD_FAILURE() << "BadTokensFor has no expired token";
  return {};
}

void ApiInteractionTest::ExpectTokenRefusals(std::string_view method, std::string_view path,
                                             std::string_view json, const ApiSession& who) {
  SCOPED_TRACE(std::string(method) + " " + std::string(path));
  EXPECT_TRUE(IsApiError(Send(method, path, json, {}), 401, "TOKEN_MISSING"));
  // Tokens stay out of URLs on /api: one in the query string does not count.
  const std::string separator = path.find('?') == std::string_view::npos ? "?" : "&";
  const std::string with_query = std::string(path) + separator + "token=" + who.access_token;
  EXPECT_TRUE(IsApiError(Send(method, with_query, json, {}), 401, "TOKEN_MISSING"));
  for (const BadToken& bad : BadTokensFor(who.user_id)) {
    EXPECT_TRUE(IsApiError(Send(method, path, json, Bearer(bad.token)), 401, bad.reason))
        << bad.name;
  }
  EXPECT_TRUE(IsApiError(Send(method, path, json, Bearer(who.refresh_token)), 401, "TOKEN_INVALID"))
      << "a genuine refresh token";
}

rapidjson::Document ApiInteractionTest::ApiUser(std::int64_t user_id,
                                                std::string_view viewer_token) {
  ApiReply reply = GetApi("/api/user", {{"user_id", std::to_string(user_id)}}, viewer_token);
  EXPECT_TRUE(IsApiOk(reply));
  rapidjson::Document user;
  if (const rapidjson::Value* found = JsonAt(reply.json, "user")) {
    user.CopyFrom(*found, user.GetAllocator());
  }
  return user;
}

}  // namespace reel::e2e
