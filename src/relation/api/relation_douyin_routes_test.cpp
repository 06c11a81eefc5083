// The Douyin social routes over the real service stack (SQLite, RelationRpc) with a fake
// user service behind the views.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "kit/auth/password_hasher.hpp"
#include "relation/api/relation_routes.hpp"
#include "relation/api/relation_rpc.hpp"
#include "relation/store/relation_migrations.hpp"
#include "relation/store/sql_relation_repository.hpp"
#include "user/api/testing/fake_user_client.hpp"
#include "kit/db/sqlite.hpp"

namespace reel::relation {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kGone = 9;  // exists for the relation service, not for the user service

class FakeUsers final : public user::testing::FakeUserClient, public UserDirectory {
 public:
  FakeUsers() : FakeUserClient(kGone) {}
  Result<bool> Exists(std::int64_t user_id) override { return user_id >= 1 && user_id <= 10; }
};

class RelationRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { auth::InitCrypto(); }
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_relation_routes_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "r.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "relation", RelationMigrations()).ok());
    repo_ = std::make_unique<SqlRelationRepository>(*db_);
    service_ = std::make_unique<RelationService>(*repo_, users_, clock_);
    rpc_ = std::make_unique<RelationRpc>(*service_);
    views_ = std::make_unique<views::UserViews>(
        views::ServiceClients{.users = &users_, .relations = rpc_.get()}, nullptr);
    AddRelationDouyinRoutes(router_, *rpc_, *views_, authenticator_);
  }
  void TearDown() override {
    rpc_.reset();
    service_.reset();
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string TokenOf(std::int64_t user) { return signer_.Issue(user, auth::TokenType::kAccess); }

  rapidjson::Document Call(const std::string& method, const std::string& path,
                           const std::string& query) {
    http::Request req;
    req.method = method;
    req.path = path;
    req.query = query;
    const auto match = router_.Find(method, path);
    rapidjson::Document doc;
    if (!match.route) {
      ADD_FAILURE() << "no route " << method << " " << path;
      return doc;
    }
    req.route = match.route;
    auto result = match.route->handler(req);
    const http::Response response =
        result.ok() ? *result : match.route->render_error(result.status());
    doc.Parse(response.body.data(), response.body.size());
    EXPECT_FALSE(doc.HasParseError()) << response.body;
    return doc;
  }
  rapidjson::Document Act(std::int64_t user, std::int64_t to, int action) {
    return Call("POST", "/douyin/relation/action/",
                "token=" + TokenOf(user) + "&to_user_id=" + std::to_string(to) +
                    "&action_type=" + std::to_string(action));
  }
  static std::vector<std::int64_t> IdsOf(const rapidjson::Document& doc) {
    std::vector<std::int64_t> ids;
    for (const auto& u : doc["user_list"].GetArray()) ids.push_back(u["id"].GetInt64());
    return ids;
  }

  ManualClock clock_;
  FakeUsers users_;
  auth::TokenSigner signer_{auth::TokenConfig{std::string(32, 'k'), 1h, 24h}, clock_};
  auth::RequestAuthenticator authenticator_{signer_};
  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlRelationRepository> repo_;
  std::unique_ptr<RelationService> service_;
  std::unique_ptr<RelationRpc> rpc_;
  std::unique_ptr<views::UserViews> views_;
  http::Router router_;
};

using Ids = std::vector<std::int64_t>;

TEST_F(RelationRoutesTest, FollowActionSaysWhenNothingChanged) {
  auto first = Act(1, 2, 1);
  EXPECT_EQ(first["status_code"].GetInt(), 0);
  EXPECT_STREQ(first["status_msg"].GetString(), "ok");
  EXPECT_STREQ(Act(1, 2, 1)["status_msg"].GetString(), "already following");
  EXPECT_STREQ(Act(1, 2, 2)["status_msg"].GetString(), "ok");
  auto again = Act(1, 2, 2);
  EXPECT_EQ(again["status_code"].GetInt(), 0);
  EXPECT_STREQ(again["status_msg"].GetString(), "not following");

  EXPECT_EQ(Act(1, 2, 3)["status_code"].GetInt(), 400);
  auto self = Act(1, 1, 1);
  EXPECT_EQ(self["status_code"].GetInt(), 400);
  EXPECT_STREQ(self["status_msg"].GetString(), "you cannot follow yourself");
  EXPECT_EQ(Act(1, 77, 1)["status_code"].GetInt(), 404);
  EXPECT_EQ(
      Call("POST", "/douyin/relation/action", "to_user_id=2&action_type=1")["status_code"].GetInt(),
      401);
}

TEST_F(RelationRoutesTest, ListsAreNewestFirstWithTheCallersIsFollow) {
  Act(1, 2, 1);
  Act(1, kGone, 1);
  Act(1, 3, 1);
  Act(4, 3, 1);
  users_.calls = 0;
  auto anonymous = Call("GET", "/douyin/relation/follow/list/", "user_id=1");
  EXPECT_EQ(anonymous["status_code"].GetInt(), 0);
  EXPECT_EQ(IdsOf(anonymous), (Ids{3, 2}));  // the vanished user is skipped
  EXPECT_FALSE(anonymous["user_list"][0]["is_follow"].GetBool());
  EXPECT_EQ(anonymous["user_list"][0]["follower_count"].GetInt64(), 2);
  EXPECT_EQ(anonymous["next_cursor"].GetInt64(), 0);
  EXPECT_EQ(users_.calls, 1);

  auto as_four = Call("GET", "/douyin/relation/follow/list", "user_id=1&token=" + TokenOf(4));
  EXPECT_TRUE(as_four["user_list"][0]["is_follow"].GetBool());   // 4 follows 3
  EXPECT_FALSE(as_four["user_list"][1]["is_follow"].GetBool());  // but not 2

  auto mine = Call("GET", "/douyin/relation/follower/list", "token=" + TokenOf(3));
  EXPECT_EQ(IdsOf(mine), (Ids{4, 1}));
  auto paged = Call("GET", "/douyin/relation/follower/list", "user_id=3&limit=1");
  EXPECT_EQ(IdsOf(paged), (Ids{4}));
  auto next = Call("GET", "/douyin/relation/follower/list",
                   "user_id=3&limit=1&cursor=" + std::to_string(paged["next_cursor"].GetInt64()));
  EXPECT_EQ(IdsOf(next), (Ids{1}));

  auto bad_token = Call("GET", "/douyin/relation/follow/list", "user_id=1&token=junk");
  EXPECT_EQ(bad_token["status_code"].GetInt(), 401);
  EXPECT_TRUE(bad_token["user_list"].IsArray());
  EXPECT_EQ(Call("GET", "/douyin/relation/follow/list", "")["status_code"].GetInt(), 401);
}

TEST_F(RelationRoutesTest, FriendListCarriesTheLatestMessageForItsOwner) {
  Act(1, 2, 1);
  Act(2, 1, 1);
  Act(1, 3, 1);
  Act(3, 1, 1);
  Act(1, 4, 1);  // not mutual
  ASSERT_TRUE(service_->SendMessage(2, 1, "hi").ok());
  ASSERT_TRUE(service_->SendMessage(1, 2, "yo").ok());
  ASSERT_TRUE(service_->SendMessage(3, 1, "hello").ok());

  auto own = Call("GET", "/douyin/relation/friend/list", "user_id=1&token=" + TokenOf(1));
  ASSERT_EQ(IdsOf(own), (Ids{3, 2}));
  EXPECT_STREQ(own["user_list"][0]["name"].GetString(), "user3");
  EXPECT_STREQ(own["user_list"][0]["message"].GetString(), "hello");
  EXPECT_EQ(own["user_list"][0]["msgType"].GetInt(), 0);  // received
  EXPECT_STREQ(own["user_list"][1]["message"].GetString(), "yo");
  EXPECT_EQ(own["user_list"][1]["msgType"].GetInt(), 1);  // sent
  EXPECT_TRUE(own["user_list"][1]["is_follow"].GetBool());

  // Someone else's friends are public, their messages are not.
  auto other = Call("GET", "/douyin/relation/friend/list", "user_id=1");
  ASSERT_EQ(IdsOf(other), (Ids{3, 2}));
  EXPECT_STREQ(other["user_list"][1]["message"].GetString(), "");
}

TEST_F(RelationRoutesTest, MessagesAreSentAndPolledExactly) {
  const std::string from1 = "token=" + TokenOf(1) + "&to_user_id=2";
  const std::string from2 = "token=" + TokenOf(2) + "&to_user_id=1";
  EXPECT_EQ(Call("POST", "/douyin/message/action",
                 from1 + "&action_type=1&content=hi%20there")["status_code"]
                .GetInt(),
            0);
  Call("POST", "/douyin/message/action", from2 + "&action_type=1&content=hello");
  EXPECT_EQ(
      Call("POST", "/douyin/message/action", from1 + "&action_type=2&content=x")["status_code"]
          .GetInt(),
      400);
  EXPECT_EQ(
      Call("POST", "/douyin/message/action", from1 + "&action_type=1&content=%20")["status_code"]
          .GetInt(),
      400);

  auto chat = Call("GET", "/douyin/message/chat", from1);
  ASSERT_EQ(chat["message_list"].Size(), 2u);
  const auto& last = chat["message_list"][1];
  EXPECT_STREQ(chat["message_list"][0]["content"].GetString(), "hi there");
  EXPECT_EQ(last["from_user_id"].GetInt64(), 2);
  EXPECT_EQ(last["to_user_id"].GetInt64(), 1);
  const std::int64_t newest = last["create_time"].GetInt64();
  EXPECT_GT(newest, 100'000'000'000);  // milliseconds

  EXPECT_EQ(Call("GET", "/douyin/message/chat",
                 from2 + "&pre_msg_time=" + std::to_string(newest))["message_list"]
                .Size(),
            0u);
  auto unauthenticated = Call("GET", "/douyin/message/chat", "to_user_id=2");
  EXPECT_EQ(unauthenticated["status_code"].GetInt(), 401);
  EXPECT_TRUE(unauthenticated["message_list"].IsArray());
}

}  // namespace
}  // namespace reel::relation
