// The Douyin comment routes end to end in-process: real store and service, fake user service.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>

#include "comment/api/comment_routes.hpp"
#include "comment/api/comment_rpc.hpp"
#include "comment/store/comment_migrations.hpp"
#include "comment/store/sql_comment_repository.hpp"
#include "kit/auth/password_hasher.hpp"
#include "kit/db/sqlite.hpp"
#include "user/api/testing/fake_user_client.hpp"

namespace reel::comment {
namespace {

// Nobody has blocked anybody.
class NoBlocks final : public BlockList {
 public:
  Result<std::vector<std::int64_t>> BlockedBy(std::int64_t,
                                              std::span<const std::int64_t>) override {
    return std::vector<std::int64_t>{};
  }
  Result<std::vector<std::int64_t>> BlockedIds(std::int64_t) override {
    return std::vector<std::int64_t>{};
  }
};

using namespace std::chrono;

constexpr std::int64_t kVideo = 1;
constexpr std::int64_t kAlice = 7;
constexpr std::int64_t kBob = 8;
constexpr std::int64_t kGone = 404;  // commented, then the account went away

class OneVideo final : public VideoDirectory {
 public:
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id, std::int64_t) override {
    if (video_id == kVideo) return std::optional<std::int64_t>(kBob);
    return std::optional<std::int64_t>();
  }
};

class FakeUsers final : public user::testing::FakeUserClient {
 public:
  FakeUsers() : FakeUserClient(kGone) {}
};

class CommentRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { auth::InitCrypto(); }
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_comment_routes_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "c.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "comment", CommentMigrations()).ok());
    repo_ = std::make_unique<SqlCommentRepository>(*db_);
    service_ = std::make_unique<CommentService>(*repo_, videos_, blocks_, events_, clock_);
    rpc_ = std::make_unique<CommentRpc>(*service_);
    AddCommentDouyinRoutes(router_, *rpc_, views_, auth_);
  }
  void TearDown() override {
    rpc_.reset();
    service_.reset();
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs a request through its route, rendering errors as the server would.
  rapidjson::Document Call(const std::string& method, const std::string& path,
                           const std::string& query) {
    http::Request req;
    req.method = method;
    req.path = path;
    req.query = query;
    auto match = router_.Find(method, path);
    EXPECT_TRUE(match.route) << path;
    auto result = match.route->handler(req);
    const http::Response response =
        result.ok() ? std::move(*result) : match.route->render_error(result.status());
    rapidjson::Document doc;
    doc.Parse(response.body.data(), response.body.size());
    EXPECT_TRUE(doc.IsObject()) << response.body;
    return doc;
  }
  rapidjson::Document Act(std::int64_t user, const std::string& query) {
    return Call("POST", "/douyin/comment/action/",
                "token=" + signer_.Issue(user, auth::TokenType::kAccess) + "&" + query);
  }

  // 2026-11-24 23:59:59.500 UTC: the last moment of the day, to pin the date to UTC.
  ManualClock clock_{sys_days{year{2026} / 11 / 24} + hours(23) + minutes(59) + seconds(59) +
                     milliseconds(500)};
  OneVideo videos_;
  NoBlocks blocks_;
  events::NoCommitHook events_;
  FakeUsers users_;
  views::UserViews views_{views::ServiceClients{.users = &users_}, nullptr};
  auth::TokenSigner signer_{auth::TokenConfig{std::string(32, 'k')}, clock_};
  auth::RequestAuthenticator auth_{signer_};
  http::Router router_;
  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlCommentRepository> repo_;
  std::unique_ptr<CommentService> service_;
  std::unique_ptr<CommentRpc> rpc_;
};

TEST_F(CommentRoutesTest, PublishAnswersWithTheCommentAndItsAuthor) {
  auto doc = Act(kAlice, "video_id=1&action_type=1&comment_text=%20nice%0Avideo%20");
  ASSERT_EQ(doc["status_code"].GetInt(), 0);
  EXPECT_STREQ(doc["status_msg"].GetString(), "ok");
  const auto& c = doc["comment"];
  EXPECT_GT(c["id"].GetInt64(), 0);
  EXPECT_STREQ(c["content"].GetString(), "nice\nvideo");
  EXPECT_STREQ(c["create_date"].GetString(), "11-24");
  EXPECT_EQ(c["user"]["id"].GetInt64(), kAlice);
  EXPECT_STREQ(c["user"]["name"].GetString(), "user7");
  EXPECT_TRUE(c["user"].HasMember("is_follow"));
  EXPECT_TRUE(c["user"].HasMember("work_count"));
}

TEST_F(CommentRoutesTest, DeleteAnswersANullComment) {
  auto made = Act(kAlice, "video_id=1&action_type=1&comment_text=hi");
  const std::string id = std::to_string(made["comment"]["id"].GetInt64());

  auto refused = Act(kGone, "video_id=1&action_type=2&comment_id=" + id);
  EXPECT_EQ(refused["status_code"].GetInt(), 403);
  EXPECT_TRUE(refused["comment"].IsNull());

  auto removed = Act(kBob, "video_id=1&action_type=2&comment_id=" + id);  // the video's author
  ASSERT_EQ(removed["status_code"].GetInt(), 0);
  ASSERT_TRUE(removed.HasMember("comment"));
  EXPECT_TRUE(removed["comment"].IsNull());
  EXPECT_EQ(Act(kBob, "action_type=2&comment_id=" + id)["status_code"].GetInt(), 404);
}

TEST_F(CommentRoutesTest, RefusalsKeepTheCommentKey) {
  auto bad_action = Act(kAlice, "video_id=1&action_type=3");
  EXPECT_EQ(bad_action["status_code"].GetInt(), 400);
  EXPECT_TRUE(bad_action["comment"].IsNull());
  auto anonymous =
      Call("POST", "/douyin/comment/action", "video_id=1&action_type=1&comment_text=x");
  EXPECT_EQ(anonymous["status_code"].GetInt(), 401);
  EXPECT_EQ(Act(kAlice, "video_id=2&action_type=1&comment_text=x")["status_code"].GetInt(), 404);
  EXPECT_EQ(Act(kAlice, "video_id=1&action_type=1&comment_text=%09")["status_code"].GetInt(), 400);
}

TEST_F(CommentRoutesTest, ListFetchesAuthorsOnceAndSkipsMissingOnes) {
  Act(kAlice, "video_id=1&action_type=1&comment_text=one");
  Act(kBob, "video_id=1&action_type=1&comment_text=two");
  Act(kGone, "video_id=1&action_type=1&comment_text=three");
  Act(kAlice, "video_id=1&action_type=1&comment_text=four");
  users_.calls = 0;

  auto doc = Call("GET", "/douyin/comment/list", "video_id=1");
  ASSERT_EQ(doc["status_code"].GetInt(), 0);
  EXPECT_EQ(users_.calls, 1);
  const auto& list = doc["comment_list"];
  ASSERT_EQ(list.Size(), 3u);
  EXPECT_STREQ(list[0]["content"].GetString(), "four");
  EXPECT_EQ(list[0]["user"]["id"].GetInt64(), kAlice);
  EXPECT_STREQ(list[1]["content"].GetString(), "two");
  EXPECT_STREQ(list[2]["create_date"].GetString(), "11-24");
  EXPECT_EQ(doc["next_cursor"].GetInt64(), 0);

  // A page of two whose second comment's author is gone shows one, and still pages on.
  auto first = Call("GET", "/douyin/comment/list", "video_id=1&limit=2");
  ASSERT_EQ(first["comment_list"].Size(), 1u);
  const std::int64_t cursor = first["next_cursor"].GetInt64();
  EXPECT_GT(cursor, 0);
  auto second =
      Call("GET", "/douyin/comment/list", "video_id=1&limit=2&cursor=" + std::to_string(cursor));
  ASSERT_EQ(second["comment_list"].Size(), 2u);
  EXPECT_STREQ(second["comment_list"][0]["content"].GetString(), "two");
  EXPECT_STREQ(second["comment_list"][1]["content"].GetString(), "one");
}

TEST_F(CommentRoutesTest, ListRefusalsKeepAnEmptyList) {
  auto missing = Call("GET", "/douyin/comment/list", "video_id=2");
  EXPECT_EQ(missing["status_code"].GetInt(), 404);
  EXPECT_TRUE(missing["comment_list"].IsArray());
  auto bad_token = Call("GET", "/douyin/comment/list", "video_id=1&token=nonsense");
  EXPECT_EQ(bad_token["status_code"].GetInt(), 401);
  EXPECT_EQ(bad_token["comment_list"].Size(), 0u);
  EXPECT_EQ(Call("GET", "/douyin/comment/list", "")["status_code"].GetInt(), 400);
}

}  // namespace
}  // namespace reel::comment
