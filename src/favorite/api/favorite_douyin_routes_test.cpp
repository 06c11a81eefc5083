// The Douyin favorite routes over the real service and store, with fake user and video
// services: idempotent actions answer status_code 0, the list keeps the like order.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>

#include "favorite/api/favorite_routes.hpp"
#include "favorite/api/favorite_rpc.hpp"
#include "favorite/store/favorite_migrations.hpp"
#include "favorite/store/sql_collection_repository.hpp"
#include "favorite/store/sql_favorite_repository.hpp"
#include "kit/auth/password_hasher.hpp"
#include "kit/db/sqlite.hpp"
#include "user/api/testing/fake_user_client.hpp"

namespace reel::favorite {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kDeletedVideo = 40;  // liked, then removed from the video service

// Videos 1..50, each by author 100 + id.
class EveryUser final : public UserDirectory {
 public:
  Result<bool> Exists(std::int64_t) override { return true; }
};

class FakeVideoDirectory final : public VideoDirectory {
 public:
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id, std::int64_t) override {
    if (video_id < 1 || video_id > 50) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(100 + video_id);
  }
};

class FakeVideos final : public video::UnimplementedVideoClient {
 public:
  Result<video::v1::UpdateVideoReply> UpdateVideo(const video::v1::UpdateVideoRequest&) override {
    return Internal("unused");
  }
  Result<video::v1::DeleteVideoReply> DeleteVideo(const video::v1::DeleteVideoRequest&) override {
    return Internal("unused");
  }
  Result<video::v1::CreateVideoReply> CreateVideo(const video::v1::CreateVideoRequest&) override {
    return Internal("unused");
  }
  Result<video::v1::GetVideosReply> GetVideos(const video::v1::GetVideosRequest& r) override {
    ++get_calls;
    video::v1::GetVideosReply reply;
    for (std::int64_t id : r.video_ids()) {
      if (id == kDeletedVideo) continue;
      auto* v = reply.add_videos();
      v->set_id(id);
      v->set_author_id(100 + id);
      v->set_title("v" + std::to_string(id));
    }
    return reply;
  }
  Result<video::v1::ListVideosReply> ListVideos(const video::v1::ListVideosRequest&) override {
    return Internal("unused");
  }
  Result<video::v1::CountWorksReply> CountWorks(const video::v1::CountWorksRequest&) override {
    return video::v1::CountWorksReply{};
  }
  int get_calls = 0;
};

class FakeUsers final : public user::testing::FakeUserClient {};

class FavoriteDouyinRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { auth::InitCrypto(); }
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_favorite_routes_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<db::SqliteDb>(db::SqliteOptions{(dir_ / "f.db").string()});
    ASSERT_TRUE(db::ApplyMigrations(*db_, "favorite", FavoriteMigrations()).ok());
    repo_ = std::make_unique<SqlFavoriteRepository>(*db_);
    service_ = std::make_unique<FavoriteService>(*repo_, directory_, known_users_, events_, clock_);
    collection_repo_ = std::make_unique<SqlCollectionRepository>(*db_);
    collections_ =
        std::make_unique<CollectionService>(*collection_repo_, directory_, known_users_, clock_);
    rpc_ = std::make_unique<FavoriteRpc>(*service_, *collections_);
    clients_ = views::ServiceClients{&users_, &videos_, rpc_.get(), nullptr, nullptr};
    user_views_ = std::make_unique<views::UserViews>(clients_, nullptr);
    video_views_ = std::make_unique<views::VideoViews>(*user_views_, clients_, urls_);
    AddFavoriteDouyinRoutes(router_, *rpc_, *video_views_, videos_, auth_);
  }
  void TearDown() override {
    rpc_.reset();
    collections_.reset();
    collection_repo_.reset();
    service_.reset();
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs the route as the server would (handler, then the route's error renderer).
  rapidjson::Document Call(const std::string& method, const std::string& path,
                           const std::string& query, std::int64_t as_user = 0) {
    http::Request req;
    req.method = method;
    req.path = path;
    req.query = query;
    if (as_user) {
      req.headers.emplace_back("authorization",
                               "Bearer " + signer_.Issue(as_user, auth::TokenType::kAccess));
    }
    const auto match = router_.Find(method, path);
    EXPECT_TRUE(match.route) << path;
    rapidjson::Document doc;
    if (!match.route) return doc;
    req.route = match.route;
    auto result = match.route->handler(req);
    const http::Response response =
        result.ok() ? std::move(*result) : match.route->render_error(result.status());
    doc.Parse(response.body.data(), response.body.size());
    return doc;
  }
  rapidjson::Document Action(std::int64_t user, std::int64_t video, int action_type) {
    return Call("POST", "/douyin/favorite/action/",
                "video_id=" + std::to_string(video) + "&action_type=" + std::to_string(action_type),
                user);
  }
  static std::vector<std::int64_t> IdsOf(const rapidjson::Document& doc) {
    std::vector<std::int64_t> ids;
    for (const auto& v : doc["video_list"].GetArray()) ids.push_back(v["id"].GetInt64());
    return ids;
  }

  ManualClock clock_;
  events::NoCommitHook events_;
  auth::TokenSigner signer_{auth::TokenConfig{std::string(32, 'k'), 1h, 24h}, clock_};
  auth::RequestAuthenticator auth_{signer_};
  FakeVideoDirectory directory_;
  EveryUser known_users_;
  FakeVideos videos_;
  FakeUsers users_;
  views::MediaUrls urls_{"http://cdn.test"};
  std::filesystem::path dir_;
  std::unique_ptr<db::SqliteDb> db_;
  std::unique_ptr<SqlFavoriteRepository> repo_;
  std::unique_ptr<FavoriteService> service_;
  std::unique_ptr<SqlCollectionRepository> collection_repo_;
  std::unique_ptr<CollectionService> collections_;
  std::unique_ptr<FavoriteRpc> rpc_;
  views::ServiceClients clients_;
  std::unique_ptr<views::UserViews> user_views_;
  std::unique_ptr<views::VideoViews> video_views_;
  http::Router router_;
};

TEST_F(FavoriteDouyinRoutesTest, ActionsAreIdempotentAndSayWhenNothingChanged) {
  auto liked = Action(1, 5, 1);
  EXPECT_EQ(liked["status_code"].GetInt(), 0);
  EXPECT_STREQ(liked["status_msg"].GetString(), "ok");
  auto again = Action(1, 5, 1);
  EXPECT_EQ(again["status_code"].GetInt(), 0);
  EXPECT_STREQ(again["status_msg"].GetString(), "already liked");
  EXPECT_STREQ(Action(1, 5, 2)["status_msg"].GetString(), "ok");
  auto unliked = Action(1, 5, 2);
  EXPECT_EQ(unliked["status_code"].GetInt(), 0);
  EXPECT_STREQ(unliked["status_msg"].GetString(), "not liked");
}

TEST_F(FavoriteDouyinRoutesTest, RefusedActionsReportWhy) {
  auto bad_type = Action(1, 5, 3);
  EXPECT_EQ(bad_type["status_code"].GetInt(), 400);
  EXPECT_STREQ(bad_type["status_msg"].GetString(), "action_type must be 1 (like) or 2 (unlike)");
  auto missing = Action(1, 99, 1);
  EXPECT_EQ(missing["status_code"].GetInt(), 404);
  EXPECT_STREQ(missing["status_msg"].GetString(), "video 99 does not exist");
  EXPECT_EQ(Action(0, 5, 1)["status_code"].GetInt(), 401);  // no token
  EXPECT_EQ(Call("POST", "/douyin/favorite/action", "video_id=5", 1)["status_code"].GetInt(), 400);
  EXPECT_EQ(Call("POST", "/douyin/favorite/action", "action_type=1", 1)["status_code"].GetInt(),
            400);
}

TEST_F(FavoriteDouyinRoutesTest, ListKeepsLikeOrderSkipsGoneVideosAndPages) {
  const std::int64_t liked_in_order[] = {3, 7, 5, kDeletedVideo};
  for (std::int64_t v : liked_in_order) ASSERT_EQ(Action(1, v, 1)["status_code"].GetInt(), 0);

  auto anonymous = Call("GET", "/douyin/favorite/list/", "user_id=1");
  EXPECT_EQ(anonymous["status_code"].GetInt(), 0);
  EXPECT_EQ(IdsOf(anonymous), (std::vector<std::int64_t>{5, 7, 3}));
  EXPECT_EQ(anonymous["next_cursor"].GetInt64(), 0);
  EXPECT_EQ(anonymous["video_list"][0]["favorite_count"].GetInt64(), 1);
  EXPECT_FALSE(anonymous["video_list"][0]["is_favorite"].GetBool());
  EXPECT_EQ(videos_.get_calls, 1);  // one call for the whole page

  auto mine = Call("GET", "/douyin/favorite/list", "", 1);  // user_id from the token
  EXPECT_EQ(IdsOf(mine), (std::vector<std::int64_t>{5, 7, 3}));
  EXPECT_TRUE(mine["video_list"][0]["is_favorite"].GetBool());

  auto first = Call("GET", "/douyin/favorite/list", "user_id=1&limit=2");
  EXPECT_EQ(IdsOf(first), (std::vector<std::int64_t>{5}));  // 40, then 5; 40 is gone
  const std::int64_t cursor = first["next_cursor"].GetInt64();
  EXPECT_NE(cursor, 0);
  auto second =
      Call("GET", "/douyin/favorite/list", "user_id=1&limit=2&cursor=" + std::to_string(cursor));
  EXPECT_EQ(IdsOf(second), (std::vector<std::int64_t>{7, 3}));
  EXPECT_EQ(second["next_cursor"].GetInt64(), 0);

  auto nobody = Call("GET", "/douyin/favorite/list", "user_id=2");
  EXPECT_TRUE(IdsOf(nobody).empty());
}

TEST_F(FavoriteDouyinRoutesTest, ListNeedsAUserAndRefusesABadToken) {
  auto anonymous = Call("GET", "/douyin/favorite/list", "");
  EXPECT_EQ(anonymous["status_code"].GetInt(), 401);
  EXPECT_TRUE(anonymous["video_list"].IsArray());
  auto forged = Call("GET", "/douyin/favorite/list", "user_id=1&token=forged");
  EXPECT_EQ(forged["status_code"].GetInt(), 401);
}

}  // namespace
}  // namespace reel::favorite
