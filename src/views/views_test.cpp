// The views assemble a page with a fixed number of calls, whatever its length.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>

#include "views/user_views.hpp"
#include "views/video_views.hpp"

namespace reel::views {
namespace {

// In-memory services that count the calls made to them.
class FakeUsers final : public user::UserClient {
 public:
  Result<user::v1::RegisterReply> Register(const user::v1::RegisterRequest&) override {
    return Internal("unused");
  }
  Result<user::v1::LoginReply> Login(const user::v1::LoginRequest&) override {
    return Internal("unused");
  }
  Result<user::v1::GetUserReply> GetUser(const user::v1::GetUserRequest&) override {
    ++calls;
    return Internal("views must batch");
  }
  Result<user::v1::BatchGetUsersReply> BatchGetUsers(
      const user::v1::BatchGetUsersRequest& r) override {
    ++calls;
    user::v1::BatchGetUsersReply reply;
    for (auto id : r.user_ids()) {
      if (id == kMissing) continue;
      auto* u = reply.add_users();
      u->set_id(id);
      u->set_name("user" + std::to_string(id));
    }
    return reply;
  }
  Result<user::v1::RefreshReply> Refresh(const user::v1::RefreshRequest&) override {
    return Internal("unused");
  }

  static constexpr std::int64_t kMissing = 404;
  int calls = 0;
};

class FakeVideos final : public video::VideoClient {
 public:
  Result<video::v1::CreateVideoReply> CreateVideo(const video::v1::CreateVideoRequest&) override {
    return Internal("unused");
  }
  Result<video::v1::GetVideosReply> GetVideos(const video::v1::GetVideosRequest&) override {
    return Internal("unused");
  }
  Result<video::v1::ListVideosReply> ListVideos(const video::v1::ListVideosRequest&) override {
    return Internal("unused");
  }
  Result<video::v1::CountWorksReply> CountWorks(const video::v1::CountWorksRequest& r) override {
    ++calls;
    video::v1::CountWorksReply reply;
    for (auto id : r.author_ids()) (*reply.mutable_work_counts())[id] = id * 10;
    return reply;
  }
  int calls = 0;
};

google::protobuf::RepeatedPtrField<video::v1::Video> Page(int n) {
  google::protobuf::RepeatedPtrField<video::v1::Video> videos;
  for (int i = 1; i <= n; ++i) {
    auto* v = videos.Add();
    v->set_id(i);
    v->set_author_id(i == 3 ? FakeUsers::kMissing : i);
    v->set_title("v" + std::to_string(i));
    v->set_play_key("k" + std::to_string(i) + ".mp4");
    v->set_cover_key("k" + std::to_string(i) + ".jpg");
  }
  return videos;
}

TEST(VideoViewsTest, AFullPageCostsOneCallPerService) {
  FakeUsers users;
  FakeVideos videos;
  UserViews user_views(users, &videos);
  MediaUrls urls("http://cdn.test/");
  VideoViews views(user_views, urls);
  for (int size : {1, 30}) {
    users.calls = videos.calls = 0;
    json::JsonWriter w;
    w.BeginObject();
    ASSERT_TRUE(views.WriteVideoList(w, Page(size), 0).ok());
    w.EndObject();
    EXPECT_EQ(users.calls, 1) << size;
    EXPECT_EQ(videos.calls, 1) << size;
    rapidjson::Document doc;
    doc.Parse(w.Take().c_str());
    ASSERT_TRUE(doc.IsObject());
    const auto& list = doc["video_list"];
    // The video whose author is gone is left out.
    EXPECT_EQ(list.Size(), static_cast<unsigned>(size >= 3 ? size - 1 : size));
    EXPECT_STREQ(list[0]["play_url"].GetString(), "http://cdn.test/media/k1.mp4");
    EXPECT_EQ(list[0]["author"]["work_count"].GetInt64(), 10);
    EXPECT_FALSE(list[0]["is_favorite"].GetBool());
  }
}

TEST(UserViewsTest, WithoutTheVideoServiceCountsReadZero) {
  FakeUsers users;
  UserViews user_views(users, nullptr);
  auto user = user_views.GetOne(7, 0);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->name(), "user7");
  EXPECT_EQ(user->work_count(), 0);
  EXPECT_EQ(user_views.GetOne(FakeUsers::kMissing, 0).status().reason, "USER_NOT_FOUND");
}

}  // namespace
}  // namespace reel::views
