// GET /api/feed (latest, following, hot) and search (/api/search, /api/video/search,
// /api/video/get/title) end to end, plus `reel reindex` and the index built at start-up.
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api_helpers.hpp"
#include "media_fixtures.hpp"

namespace reel::e2e {
namespace {

using Ids = std::vector<std::int64_t>;

class FeedSearchApiTest : public ServerTest {
 protected:
  ServerOptions Options() const override { return KnownSecretOptions(); }

  ApiSession SignUp(std::string_view name) { return RegisterApi(Client(), name, "password1"); }
  std::int64_t Publish(const ApiSession& who, std::string_view title,
                       std::string_view description = {},
                       const std::vector<std::string>& tags = {}) {
    return ApiPublish(Client(), who.access_token, media_.Get(MediaKind::kFaststartMp4), title,
                      description, tags);
  }
  HttpResponse Feed(const Pairs& query, std::string_view token = {}) {
    return Client().Get(WithQuery("/api/feed", query), token.empty() ? Pairs{} : Bearer(token));
  }
  Ids FeedAll(std::string_view type, int limit, std::string_view token = {}) {
    return ApiAllIds(
        [&](const std::string& cursor) {
          Pairs query{{"type", std::string(type)}, {"limit", std::to_string(limit)}};
          if (!cursor.empty()) query.push_back({"cursor", cursor});
          return Feed(query, token);
        },
        "videos");
  }
  HttpResponse Search(std::string_view q, std::string_view type = "video",
                      std::string_view token = {}) {
    return Client().Get(
        WithQuery("/api/search", {{"q", std::string(q)}, {"type", std::string(type)}}),
        token.empty() ? Pairs{} : Bearer(token));
  }
  Ids Found(std::string_view q, std::string_view type = "video") {
    const HttpResponse r = Search(q, type);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return ApiIds(r.Json(), type == "video" ? "videos" : "users");
  }
  // Found, once it shows `want` (a cluster indexes a moment after the write answers).
  Ids FoundAs(const Ids& want, std::string_view q, std::string_view type = "video") {
    return Settled([&] { return Found(q, type); }, want);
  }
  void Like(const ApiSession& who, std::int64_t video) {
    const HttpResponse r = Client().PostJson(
        "/api/favorite/action", R"({"video_id":)" + std::to_string(video) + R"(,"action":"like"})",
        Bearer(who.access_token));
    ASSERT_EQ(r.status, 200) << r.Describe();
  }
  void Comment(const ApiSession& who, std::int64_t video) {
    const HttpResponse r = Client().PostJson(
        "/api/comment/create", R"({"video_id":)" + std::to_string(video) + R"(,"content":"nice"})",
        Bearer(who.access_token));
    ASSERT_EQ(r.status, 200) << r.Describe();
  }
  void Follow(const ApiSession& who, std::int64_t whom) {
    const HttpResponse r =
        Client().PostJson("/api/relation/control",
                          R"({"to_user_id":)" + std::to_string(whom) + R"(,"action":"follow"})",
                          Bearer(who.access_token));
    ASSERT_EQ(r.status, 200) << r.Describe();
  }

  MediaFixtures media_;
};

// ---- feed ------------------------------------------------------------------------------------

TEST_F(FeedSearchApiTest, LatestPagesNewestFirstToTheEndWithoutRepeats) {
  const ApiSession ann = SignUp("ann");
  Ids published;
  for (int i = 0; i < 7; ++i) published.push_back(Publish(ann, "clip " + std::to_string(i)));
  const Ids newest_first(published.rbegin(), published.rend());
  EXPECT_EQ(FeedAll("latest", 3), newest_first);
  EXPECT_EQ(FeedAll("latest", 100), newest_first);
  // A page that ends exactly at the last video says so: no empty page after it.
  const HttpResponse exact = Feed({{"limit", "7"}});
  EXPECT_EQ(ApiIds(exact.Json(), "videos"), newest_first);
  EXPECT_EQ(JsonBool(exact.Json(), "has_more"), false) << exact.Describe();

  // The page shape: video objects with the /api extras, and the page fields.
  const HttpResponse first = Feed({{"limit", "2"}});
  ASSERT_EQ(first.status, 200) << first.Describe();
  const rapidjson::Document body = first.Json();
  EXPECT_EQ(JsonInt(body, "videos.0.id"), published.back());
  EXPECT_EQ(JsonInt(body, "videos.0.author.id"), ann.user_id);
  EXPECT_EQ(JsonString(body, "videos.0.title"), "clip 6");
  EXPECT_GT(JsonInt(body, "videos.0.created_at").value_or(0), 0);
  EXPECT_EQ(JsonBool(body, "has_more"), true);
  EXPECT_FALSE(JsonString(body, "next_cursor").value_or("").empty());
}

TEST_F(FeedSearchApiTest, FollowingShowsOnlyFollowedAuthorsAndNeedsSignIn) {
  const ApiSession viewer = SignUp("viewer");
  const ApiSession followed = SignUp("followed");
  const ApiSession stranger = SignUp("stranger");
  const std::int64_t a = Publish(followed, "mine 1");
  Publish(stranger, "not followed");
  const std::int64_t b = Publish(followed, "mine 2");

  EXPECT_TRUE(FeedAll("following", 5, viewer.access_token).empty());  // follows nobody yet
  Follow(viewer, followed.user_id);
  EXPECT_EQ(FeedAll("following", 1, viewer.access_token), (Ids{b, a}));

  EXPECT_TRUE(IsApiError(Feed({{"type", "following"}}), 401, "TOKEN_MISSING"));
  for (const BadToken& bad : BadTokensFor(viewer.user_id)) {
    SCOPED_TRACE(bad.name);
    EXPECT_TRUE(IsApiError(Feed({{"type", "following"}}, bad.token), 401, bad.reason));
    EXPECT_TRUE(IsApiError(Feed({{"type", "latest"}}, bad.token), 401, bad.reason));
  }
  EXPECT_EQ(FeedAll("following", 5, ForgeAccessToken(viewer.user_id)), (Ids{b, a}));
}

TEST_F(FeedSearchApiTest, HotRanksByLikesAndCommentsAndPagesOverAFrozenRanking) {
  const ApiSession author = SignUp("author");
  const ApiSession fan1 = SignUp("fan1");
  const ApiSession fan2 = SignUp("fan2");
  const ApiSession fan3 = SignUp("fan3");
  const std::int64_t liked = Publish(author, "three likes");
  const std::int64_t commented = Publish(author, "one comment");
  const std::int64_t quiet = Publish(author, "nothing");
  const std::int64_t newest = Publish(author, "newest, nothing");
  for (const ApiSession* fan : {&fan1, &fan2, &fan3}) Like(*fan, liked);
  Comment(fan1, commented);  // a comment weighs two likes

  // Published within a second, so freshness is all but equal: engagement decides, then time.
  const Ids hot = FeedAll("hot", 1);
  EXPECT_EQ(hot, (Ids{liked, commented, newest, quiet}));

  // Likes after the ranking was made do not reorder the pages a cursor walks.
  const HttpResponse first = Feed({{"type", "hot"}, {"limit", "2"}});
  ASSERT_EQ(first.status, 200) << first.Describe();
  for (const ApiSession* fan : {&fan1, &fan2, &fan3}) Like(*fan, quiet);
  const std::string cursor = JsonString(first.Json(), "next_cursor").value_or("");
  const HttpResponse second = Feed({{"type", "hot"}, {"limit", "2"}, {"cursor", cursor}});
  ASSERT_EQ(second.status, 200) << second.Describe();
  EXPECT_EQ(ApiIds(second.Json(), "videos"), (Ids{newest, quiet}));
  EXPECT_EQ(JsonBool(second.Json(), "has_more"), false);
}

TEST_F(FeedSearchApiTest, BadFeedParametersAreRefused) {
  EXPECT_TRUE(IsApiError(Feed({{"type", "trending"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(Feed({{"limit", "0"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(Feed({{"limit", "101"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(Feed({{"limit", "ten"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(Feed({{"cursor", "-5"}}), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(Feed({{"type", "hot"}, {"cursor", "nonsense"}}), 400, "PARAM_INVALID"));
  // An empty platform has an empty last page.
  const HttpResponse empty = Feed({{"type", "hot"}});
  ASSERT_EQ(empty.status, 200) << empty.Describe();
  EXPECT_TRUE(ApiIds(empty.Json(), "videos").empty());
  EXPECT_EQ(JsonBool(empty.Json(), "has_more"), false);
}

// ---- search ----------------------------------------------------------------------------------

TEST_F(FeedSearchApiTest, ChineseSubstringsEnglishStemsAndMixedTitlesAreFound) {
  const ApiSession ann = SignUp("ann");
  const std::int64_t zh = Publish(ann, "一个短视频平台的故事");
  const std::int64_t en = Publish(ann, "Running through the mountains");
  const std::int64_t mixed =
      Publish(ann, "周末 cooking 教程", "slow braised pork", {"美食", "home"});

  EXPECT_EQ(FoundAs(Ids{zh}, "视频"), Ids{zh});
  EXPECT_EQ(FoundAs(Ids{zh}, "平台"), Ids{zh});
  EXPECT_EQ(FoundAs(Ids{zh}, "短视频平台"), Ids{zh});
  EXPECT_EQ(FoundAs(Ids{en}, "run"), Ids{en});
  EXPECT_EQ(FoundAs(Ids{en}, "mountain"), Ids{en});
  EXPECT_EQ(FoundAs(Ids{mixed}, "cook"), Ids{mixed});
  EXPECT_EQ(FoundAs(Ids{mixed}, "周末 cooking"), Ids{mixed});
  EXPECT_EQ(FoundAs(Ids{mixed}, "braise"), Ids{mixed});  // description
  EXPECT_EQ(FoundAs(Ids{mixed}, "美食"), Ids{mixed});    // tag
  EXPECT_TRUE(FoundAs(Ids{}, "音乐").empty());

  // The brief's aliases answer the same.
  const HttpResponse by_title =
      Client().Get(WithQuery("/api/video/get/title", {{"title", "视频"}}));
  ASSERT_EQ(by_title.status, 200) << by_title.Describe();
  EXPECT_EQ(ApiIds(by_title.Json(), "videos"), Ids{zh});
  const HttpResponse video_search =
      Client().Get(WithQuery("/api/video/search", {{"q", "running"}}));
  ASSERT_EQ(video_search.status, 200) << video_search.Describe();
  EXPECT_EQ(ApiIds(video_search.Json(), "videos"), Ids{en});
}

TEST_F(FeedSearchApiTest, UsersAreFoundByNameAndProfileEditsAreIndexed) {
  const ApiSession chef = SignUp("chef_wang");
  SignUp("runner_li");
  EXPECT_EQ(FoundAs(Ids{chef.user_id}, "chef_wang", "user"), Ids{chef.user_id});
  const HttpResponse patch =
      Client().Request("PATCH", "/api/user", R"({"signature":"川菜 and noodles"})",
                       "application/json", Bearer(chef.access_token));
  ASSERT_EQ(patch.status, 200) << patch.Describe();
  EXPECT_EQ(FoundAs(Ids{chef.user_id}, "川菜", "user"), Ids{chef.user_id});
  EXPECT_EQ(FoundAs(Ids{chef.user_id}, "noodle", "user"), Ids{chef.user_id});
  // Kinds do not mix.
  EXPECT_TRUE(FoundAs(Ids{}, "chef_wang", "video").empty());
}

TEST_F(FeedSearchApiTest, EditsAndDeletesReachTheIndex) {
  const ApiSession ann = SignUp("ann");
  const std::int64_t id = Publish(ann, "sunrise over the sea");
  EXPECT_EQ(FoundAs(Ids{id}, "sunrise"), Ids{id});
  const HttpResponse edited =
      Client().Request("PATCH", "/api/video/" + std::to_string(id), R"({"title":"日落 sunset"})",
                       "application/json", Bearer(ann.access_token));
  ASSERT_EQ(edited.status, 200) << edited.Describe();
  EXPECT_TRUE(FoundAs(Ids{}, "sunrise").empty());
  EXPECT_EQ(FoundAs(Ids{id}, "日落"), Ids{id});
  const HttpResponse deleted = Client().Request("DELETE", "/api/video/" + std::to_string(id), {},
                                                {}, Bearer(ann.access_token));
  ASSERT_EQ(deleted.status, 200) << deleted.Describe();
  EXPECT_TRUE(FoundAs(Ids{}, "日落").empty());
}

TEST_F(FeedSearchApiTest, ResultsPageToTheEndAndTiesGoToThePopular) {
  const ApiSession ann = SignUp("ann");
  const ApiSession fan = SignUp("fan");
  Ids published;
  for (int i = 0; i < 5; ++i) published.push_back(Publish(ann, "kitten video"));
  FoundAs(Ids(published.rbegin(), published.rend()), "kitten");  // all five indexed
  const Ids all = ApiAllIds(
      [&](const std::string& cursor) {
        Pairs query{{"q", "kitten"}, {"limit", "2"}};
        if (!cursor.empty()) query.push_back({"cursor", cursor});
        return Client().Get(WithQuery("/api/search", query));
      },
      "videos");
  // Equal titles: equal relevance, no likes yet, so newest first.
  EXPECT_EQ(all, Ids(published.rbegin(), published.rend()));

  // A like on the oldest moves it first once popularity is applied (batched, within seconds).
  Like(fan, published.front());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  Ids first;
  while (std::chrono::steady_clock::now() < deadline) {
    first = Found("kitten");
    if (!first.empty() && first.front() == published.front()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.front(), published.front());
}

TEST_F(FeedSearchApiTest, BadSearchParametersAreRefused) {
  EXPECT_TRUE(IsApiError(Client().Get("/api/search"), 400, "PARAM_MISSING"));
  EXPECT_TRUE(IsApiError(Search("x", "song"), 400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(Search(std::string(101, 'a')), 400, "QUERY_INVALID"));
  EXPECT_TRUE(IsApiError(Client().Get(WithQuery("/api/search", {{"q", "a"}, {"limit", "500"}})),
                         400, "PARAM_INVALID"));
  EXPECT_TRUE(IsApiError(Client().Get(WithQuery("/api/search", {{"q", "\xff\xfe"}})), 400,
                         "QUERY_INVALID"));
  // Query syntax is not an error: it is searched as words.
  EXPECT_EQ(Search("\"unbalanced AND (").status, 200);
}

// ---- the index on disk -----------------------------------------------------------------------

TEST_F(FeedSearchApiTest, ReindexRebuildsAndAMissingIndexIsBuiltAtStart) {
  if (ClusterMode()) GTEST_SKIP() << "one-process test: reindexes the all-in-one data dir";
  const ApiSession ann = SignUp("ann");
  const std::int64_t id = Publish(ann, "lighthouse at night");
  ASSERT_EQ(Found("lighthouse"), Ids{id});

  // While the server holds the index, reindex refuses.
  const ProcessResult busy = RunReel({"reindex", "--data-dir", Server().DataDir().string()});
  EXPECT_EQ(busy.exit_code, 1) << busy.err;
  EXPECT_NE(busy.err.find("stop reel first"), std::string::npos) << busy.err;

  ASSERT_TRUE(Server().Stop().has_value());
  const ProcessResult rebuilt =
      RunReel({"reindex", "--data-dir", Server().DataDir().string()}, {}, std::chrono::seconds(60));
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_NE(rebuilt.out.find("indexed 1 videos and 1 users"), std::string::npos) << rebuilt.out;

  std::filesystem::remove_all(Server().DataDir() / "search");
  ASSERT_TRUE(Server().Start());
  HttpClient fresh(Server().Port());
  const HttpResponse found = fresh.Get(WithQuery("/api/search", {{"q", "lighthouse"}}));
  EXPECT_EQ(ApiIds(found.Json(), "videos"), Ids{id}) << found.Describe();
  const HttpResponse user = fresh.Get(WithQuery("/api/search", {{"q", "ann"}, {"type", "user"}}));
  EXPECT_EQ(ApiIds(user.Json(), "users"), Ids{ann.user_id}) << user.Describe();
}

}  // namespace
}  // namespace reel::e2e

namespace reel::e2e {
namespace {

// Every command that opens the platform makes its data directory first (the token secret
// is written there before the database is opened).
TEST(ReindexCommand, WorksOnADataDirectoryThatDoesNotExistYet) {
  TempDir scratch;
  const std::filesystem::path dir = scratch.Path() / "not" / "yet";
  const ProcessResult run =
      RunReel({"reindex", "--data-dir", dir.string()}, {}, std::chrono::seconds(30));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("indexed 0 videos and 0 users"), std::string::npos) << run.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "search"));
  EXPECT_TRUE(std::filesystem::exists(dir / "jwt.secret"));
}

}  // namespace
}  // namespace reel::e2e
