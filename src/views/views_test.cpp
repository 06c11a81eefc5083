// The views assemble a page with a fixed number of calls, whatever its length.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <functional>
#include <map>

#include "user/api/testing/fake_user_client.hpp"
#include "views/user_views.hpp"
#include "views/video_views.hpp"

namespace reel::views {
namespace {

// In-memory services that count the calls made to them.
class FakeUsers final : public user::testing::FakeUserClient {
 public:
  static constexpr std::int64_t kMissing = 404;
  FakeUsers() : FakeUserClient(kMissing) {}
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
  // The store's videos, as Page() makes them (titles "v<id>") unless renamed.
  Result<video::v1::GetVideosReply> GetVideos(const video::v1::GetVideosRequest& r) override {
    ++gets;
    video::v1::GetVideosReply reply;
    for (auto id : r.video_ids()) {
      auto* v = reply.add_videos();
      v->set_id(id);
      v->set_author_id(id == 3 ? FakeUsers::kMissing : id);
      v->set_title(title_prefix + std::to_string(id));
      v->set_play_key("k" + std::to_string(id) + ".mp4");
      v->set_cover_key("k" + std::to_string(id) + ".jpg");
      v->set_is_public(true);
      v->set_audit_status(video::v1::APPROVED);
      v->set_is_original(true);
    }
    return reply;
  }
  Result<video::v1::ListVideosReply> ListVideos(const video::v1::ListVideosRequest&) override {
    return Internal("unused");
  }
  Result<video::v1::CountWorksReply> CountWorks(const video::v1::CountWorksRequest& r) override {
    ++calls;
    video::v1::CountWorksReply reply;
    // An author counts one more of their own (a private one) than others see.
    for (auto id : r.author_ids()) {
      (*reply.mutable_work_counts())[id] = id * 10 + (id == r.viewer_id() ? 1 : 0);
    }
    return reply;
  }
  int calls = 0;  // CountWorks
  int gets = 0;   // GetVideos
  std::string title_prefix = "v";
};

class FakeFavorites final : public favorite::UnimplementedFavoriteClient {
 public:
  Result<favorite::v1::TopVideosReply> TopVideos(const favorite::v1::TopVideosRequest&) override {
    return Internal("unused");
  }
  Result<favorite::v1::LikeReply> Like(const favorite::v1::LikeRequest&) override {
    return Internal("unused");
  }
  Result<favorite::v1::UnlikeReply> Unlike(const favorite::v1::UnlikeRequest&) override {
    return Internal("unused");
  }
  Result<favorite::v1::ListLikedReply> ListLiked(const favorite::v1::ListLikedRequest&) override {
    return Internal("unused");
  }
  Result<favorite::v1::VideoStatsReply> VideoStats(
      const favorite::v1::VideoStatsRequest& r) override {
    ++calls;
    if (!failure.ok()) return failure;
    favorite::v1::VideoStatsReply reply;
    for (auto id : r.video_ids()) {
      auto& stat = (*reply.mutable_stats())[id];
      stat.set_favorite_count(id * 100);
      stat.set_liked_by_viewer(id % 2 == 1);  // the viewer liked the odd videos
      if (!r.viewer_only()) {
        stat.set_collect_count(id * 10);
        stat.set_share_count(id * 7);
      }
      stat.set_collected_by_viewer(id % 2 == 0);  // and bookmarked the even ones
    }
    return reply;
  }
  Result<favorite::v1::UserStatsReply> UserStats(const favorite::v1::UserStatsRequest& r) override {
    ++calls;
    if (!failure.ok()) return failure;
    favorite::v1::UserStatsReply reply;
    for (auto id : r.user_ids()) (*reply.mutable_stats())[id].set_total_favorited(id + 1);
    return reply;
  }
  int calls = 0;
  Status failure;  // answered instead of stats when set
};

class FakeComments final : public comment::UnimplementedCommentClient {
 public:
  Result<comment::v1::TopVideosReply> TopVideos(const comment::v1::TopVideosRequest&) override {
    return Internal("unused");
  }
  Result<comment::v1::CreateCommentReply> Create(
      const comment::v1::CreateCommentRequest&) override {
    return Internal("unused");
  }
  Result<comment::v1::DeleteCommentReply> Delete(
      const comment::v1::DeleteCommentRequest&) override {
    return Internal("unused");
  }
  Result<comment::v1::ListCommentsReply> List(const comment::v1::ListCommentsRequest&) override {
    return Internal("unused");
  }
  Result<comment::v1::CountCommentsReply> CountByVideos(
      const comment::v1::CountCommentsRequest& r) override {
    ++calls;
    if (on_call) on_call();
    comment::v1::CountCommentsReply reply;
    for (auto id : r.video_ids()) (*reply.mutable_counts())[id] = id * per_video;
    return reply;
  }
  int calls = 0;
  std::int64_t per_video = 3;     // a video's count is its id times this
  std::function<void()> on_call;  // run inside each count, as a concurrent write would
};

class FakeRelations final : public relation::UnimplementedRelationClient {
 public:
  Result<relation::v1::FollowReply> Follow(const relation::v1::FollowRequest&) override {
    return Internal("unused");
  }
  Result<relation::v1::UnfollowReply> Unfollow(const relation::v1::UnfollowRequest&) override {
    return Internal("unused");
  }
  Result<relation::v1::ListRelationsReply> ListRelations(
      const relation::v1::ListRelationsRequest&) override {
    return Internal("unused");
  }
  Result<relation::v1::RelationStatsReply> Stats(
      const relation::v1::RelationStatsRequest& r) override {
    ++calls;
    relation::v1::RelationStatsReply reply;
    for (auto id : r.user_ids()) {
      auto& stat = (*reply.mutable_stats())[id];
      stat.set_follower_count(id * 7);
      stat.set_followed_by_viewer(r.viewer_id() != 0);
    }
    return reply;
  }
  Result<relation::v1::SendMessageReply> SendMessage(
      const relation::v1::SendMessageRequest&) override {
    return Internal("unused");
  }
  Result<relation::v1::ChatReply> Chat(const relation::v1::ChatRequest&) override {
    return Internal("unused");
  }
  Result<relation::v1::LatestMessagesReply> LatestMessages(
      const relation::v1::LatestMessagesRequest&) override {
    return Internal("unused");
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
    v->set_is_public(true);
    v->set_audit_status(video::v1::APPROVED);
    v->set_is_original(true);
  }
  return videos;
}

TEST(VideoViewsTest, AFullPageCostsOneCallPerService) {
  FakeUsers users;
  FakeVideos videos;
  FakeFavorites favorites;
  FakeComments comments;
  FakeRelations relations;
  const ServiceClients clients{&users, &videos, &favorites, &comments, &relations};
  MediaUrls urls("http://cdn.test/");
  UserViews user_views(clients, &urls);
  VideoViews views(user_views, clients, urls);
  for (int size : {1, 30}) {
    users.calls = videos.calls = favorites.calls = comments.calls = relations.calls = 0;
    json::JsonWriter w;
    w.BeginObject();
    ASSERT_TRUE(views.WriteVideoList(w, Page(size), /*viewer=*/99).ok());
    w.EndObject();
    EXPECT_EQ(users.calls, 1) << size;
    EXPECT_EQ(videos.calls, 1) << size;
    EXPECT_EQ(favorites.calls, 2) << size;  // video stats + the authors' user stats
    EXPECT_EQ(comments.calls, 1) << size;
    EXPECT_EQ(relations.calls, 1) << size;
    rapidjson::Document doc;
    const std::string rendered = w.Take();
    doc.Parse(rendered.data(), rendered.size());
    ASSERT_TRUE(doc.IsObject());
    const auto& list = doc["video_list"];
    // The video whose author is gone is left out.
    EXPECT_EQ(list.Size(), static_cast<unsigned>(size >= 3 ? size - 1 : size));
    const auto& first = list[0];
    EXPECT_STREQ(first["play_url"].GetString(), "http://cdn.test/media/k1.mp4");
    EXPECT_EQ(first["favorite_count"].GetInt64(), 100);
    EXPECT_EQ(first["comment_count"].GetInt64(), 3);
    EXPECT_TRUE(first["is_favorite"].GetBool());
    EXPECT_EQ(first["author"]["work_count"].GetInt64(), 10);
    EXPECT_EQ(first["author"]["total_favorited"].GetInt64(), 2);
    EXPECT_EQ(first["author"]["follower_count"].GetInt64(), 7);
    EXPECT_TRUE(first["author"]["is_follow"].GetBool());
  }
}

TEST(VideoViewsTest, AnonymousViewerLikesAndFollowsNothing) {
  FakeUsers users;
  FakeFavorites favorites;
  FakeRelations relations;
  const ServiceClients clients{&users, nullptr, &favorites, nullptr, &relations};
  MediaUrls urls("http://x");
  UserViews user_views(clients, &urls);
  VideoViews views(user_views, clients, urls);
  json::JsonWriter w;
  w.BeginObject();
  ASSERT_TRUE(views.WriteVideoList(w, Page(1), /*viewer=*/0).ok());
  w.EndObject();
  rapidjson::Document doc;
  const std::string rendered = w.Take();
  doc.Parse(rendered.data(), rendered.size());
  EXPECT_FALSE(doc["video_list"][0]["is_favorite"].GetBool());
  EXPECT_FALSE(doc["video_list"][0]["author"]["is_follow"].GetBool());
  EXPECT_EQ(doc["video_list"][0]["comment_count"].GetInt64(), 0);  // no comment service
}

// Issue 16: visibility and provenance on the object; a reason only where the video is not
// visible to everyone (only its author and moderators are ever shown such a video).
TEST(VideoViewsTest, VisibilityFieldsAndAReasonOnlyOnHiddenVideos) {
  FakeUsers users;
  const ServiceClients clients{&users};
  MediaUrls urls("http://x");
  UserViews user_views(clients, &urls);
  VideoViews views(user_views, clients, urls);
  auto page = Page(2);
  page[1].set_is_public(false);
  page[1].set_audit_status(video::v1::REJECTED);
  page[1].set_audit_reason("off-topic");
  page[1].set_is_original(false);
  page[1].set_source_url("https://example.com/v");
  json::JsonWriter w;
  w.BeginObject();
  ASSERT_TRUE(views.WriteVideoArray(w, "videos", page, /*viewer=*/2).ok());
  w.EndObject();
  rapidjson::Document doc;
  const std::string rendered = w.Take();
  doc.Parse(rendered.data(), rendered.size());
  ASSERT_TRUE(doc.IsObject()) << rendered;
  const auto& shown = doc["videos"][0];
  EXPECT_TRUE(shown["is_public"].GetBool());
  EXPECT_STREQ(shown["audit_status"].GetString(), "approved");
  EXPECT_FALSE(shown.HasMember("audit_reason"));
  EXPECT_TRUE(shown["is_original"].GetBool());
  EXPECT_STREQ(shown["source_url"].GetString(), "");
  const auto& hidden = doc["videos"][1];
  EXPECT_FALSE(hidden["is_public"].GetBool());
  EXPECT_STREQ(hidden["audit_status"].GetString(), "rejected");
  EXPECT_STREQ(hidden["audit_reason"].GetString(), "off-topic");
  EXPECT_FALSE(hidden["is_original"].GetBool());
  EXPECT_STREQ(hidden["source_url"].GetString(), "https://example.com/v");
}

TEST(UserViewsTest, WithoutTheVideoServiceCountsReadZero) {
  FakeUsers users;
  UserViews user_views(ServiceClients{&users}, nullptr);
  auto user = user_views.GetOne(7, 0);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->name(), "user7");
  EXPECT_EQ(user->work_count(), 0);
  EXPECT_EQ(user_views.GetOne(FakeUsers::kMissing, 0).status().reason, "USER_NOT_FOUND");
}

// A service that only adds counters being down (kUnavailable, what the gRPC clients report
// for a dead, slow or throttled dependency) leaves its counters at zero; the page answers.
TEST(VideoViewsTest, ADownCounterServiceLeavesItsCountsAtZero) {
  FakeUsers users;
  FakeFavorites favorites;
  FakeComments comments;
  favorites.failure = Unavailable("DEPENDENCY_UNAVAILABLE", "favorite.VideoStats: refused");
  const ServiceClients clients{&users, nullptr, &favorites, &comments, nullptr};
  MediaUrls urls("http://x");
  UserViews user_views(clients, &urls);
  VideoViews views(user_views, clients, urls);
  json::JsonWriter w;
  w.BeginObject();
  ASSERT_TRUE(views.WriteVideoList(w, Page(2), /*viewer=*/1).ok());
  w.EndObject();
  rapidjson::Document doc;
  const std::string rendered = w.Take();
  doc.Parse(rendered.data(), rendered.size());
  const auto& first = doc["video_list"][0];
  EXPECT_EQ(first["favorite_count"].GetInt64(), 0);
  EXPECT_FALSE(first["is_favorite"].GetBool());
  EXPECT_EQ(first["comment_count"].GetInt64(), 3);  // the comment service still counts
  EXPECT_EQ(first["author"]["total_favorited"].GetInt64(), 0);
  EXPECT_EQ(first["author"]["name"].GetString(), std::string("user1"));
}

// Any other failure is a real error and is returned, not hidden.
TEST(VideoViewsTest, OtherCounterErrorsAreReturned) {
  FakeUsers users;
  FakeFavorites favorites;
  favorites.failure = Internal("disk on fire");
  const ServiceClients clients{&users, nullptr, &favorites, nullptr, nullptr};
  MediaUrls urls("http://x");
  UserViews user_views(clients, &urls);
  VideoViews views(user_views, clients, urls);
  json::JsonWriter w;
  w.BeginObject();
  EXPECT_EQ(views.WriteVideoList(w, Page(1), 1).code, Code::kInternal);
}

// Without the user service, videos are shown with authors known only by id.
class DownUsers final : public user::testing::FakeUserClient {
 public:
  Result<user::v1::BatchGetUsersReply> BatchGetUsers(
      const user::v1::BatchGetUsersRequest&) override {
    return Unavailable("DEPENDENCY_TIMEOUT", "user.BatchGetUsers: deadline exceeded");
  }
};

TEST(VideoViewsTest, ADownUserServiceLeavesAuthorsAsIds) {
  DownUsers users;
  const ServiceClients clients{&users};
  MediaUrls urls("http://x");
  UserViews user_views(clients, &urls);
  VideoViews views(user_views, clients, urls);
  json::JsonWriter w;
  w.BeginObject();
  ASSERT_TRUE(views.WriteVideoList(w, Page(2), 0).ok());
  w.EndObject();
  rapidjson::Document doc;
  const std::string rendered = w.Take();
  doc.Parse(rendered.data(), rendered.size());
  ASSERT_EQ(doc["video_list"].Size(), 2u);
  EXPECT_EQ(doc["video_list"][1]["author"]["id"].GetInt64(), 2);
  EXPECT_EQ(doc["video_list"][1]["author"]["name"].GetString(), std::string(""));
  // A user page itself cannot be answered without the user service.
  EXPECT_EQ(user_views.GetOne(2, 0).status().code, Code::kUnavailable);
}

// Users with pictures: 1 has stored keys, 2 a URL from elsewhere, 3 none.
class FakeUsersWithPictures final : public user::testing::FakeUserClient {
 public:
  static inline const std::string kAvatarKey = std::string(64, 'a') + ".jpg";
  static inline const std::string kBackgroundKey = std::string(64, 'b') + ".jpg";

  Result<user::v1::BatchGetUsersReply> BatchGetUsers(
      const user::v1::BatchGetUsersRequest& request) override {
    auto reply = FakeUserClient::BatchGetUsers(request);
    for (auto& u : *reply->mutable_users()) {
      if (u.id() == 1) {
        u.set_avatar(kAvatarKey);
        u.set_background_image(kBackgroundKey);
      } else if (u.id() == 2) {
        u.set_avatar("https://elsewhere.test/a.png");
      }
    }
    return reply;
  }
};

TEST(UserViewsTest, PictureKeysBecomeMediaUrlsAndUsersWithoutGetTheirDrawnOnes) {
  FakeUsersWithPictures users;
  MediaUrls urls("http://cdn.test/");
  UserViews user_views(ServiceClients{&users}, &urls);
  const std::int64_t ids[] = {1, 2, 3};
  auto found = user_views.Get(ids, 0);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->at(1).avatar(), "http://cdn.test/media/" + FakeUsersWithPictures::kAvatarKey);
  EXPECT_EQ(found->at(1).background_image(),
            "http://cdn.test/media/" + FakeUsersWithPictures::kBackgroundKey);
  EXPECT_EQ(found->at(2).avatar(), "https://elsewhere.test/a.png");  // already a URL
  // None: the picture drawn for that user, served by reel.
  EXPECT_EQ(found->at(2).background_image(), "http://cdn.test/api/user/2/background.png");
  EXPECT_EQ(found->at(3).avatar(), "http://cdn.test/api/user/3/avatar.png");
  EXPECT_EQ(found->at(3).background_image(), "http://cdn.test/api/user/3/background.png");
  EXPECT_EQ(users.calls, 1);

  // Without MediaUrls the keys are shown as stored.
  UserViews raw(ServiceClients{&users}, nullptr);
  EXPECT_EQ(raw.GetOne(1, 0)->avatar(), FakeUsersWithPictures::kAvatarKey);
}

// Renderings reused across pages (the all-in-one process, where every write advances the
// epoch): a page then costs only the viewer's two look-ups.
struct RenderedPageTest : ::testing::Test {
  std::string Feed(std::int64_t viewer, int size = 4) {
    json::JsonWriter w;
    w.BeginObject();
    EXPECT_TRUE(views.WriteVideoList(w, Page(size), viewer).ok());
    w.EndObject();
    return w.Take();
  }
  int Calls() const {
    return users.calls + videos.calls + favorites.calls + comments.calls + relations.calls;
  }

  FakeUsers users;
  FakeVideos videos;
  FakeFavorites favorites;
  FakeComments comments;
  FakeRelations relations;
  const ServiceClients clients{&users, &videos, &favorites, &comments, &relations};
  MediaUrls urls{"http://cdn.test"};
  UserViews user_views{clients, &urls};
  cache::ChangeEpoch writes;
  RenderedVideos rendered{writes, 100};
  VideoViews views{user_views, clients, urls, &rendered};
};

TEST_F(RenderedPageTest, AReusedPageAsksOnlyForTheViewersMarksAndReadsTheSame) {
  const std::string first = Feed(99);
  EXPECT_EQ(Calls(), 6);      // users, work counts, user stats, video stats, comments, follows
  EXPECT_EQ(videos.gets, 1);  // the videos to keep, read after the epoch was noted
  favorites.calls = relations.calls = users.calls = videos.calls = comments.calls = 0;
  const std::string again = Feed(99);
  EXPECT_EQ(again, first);
  EXPECT_EQ(favorites.calls, 1);  // is_favorite
  EXPECT_EQ(relations.calls, 1);  // is_follow
  EXPECT_EQ(users.calls + videos.calls + comments.calls, 0);
  EXPECT_EQ(videos.gets, 1);
}

TEST_F(RenderedPageTest, EachViewerSeesOwnMarksOnSharedRenderings) {
  const std::string anonymous = Feed(0);
  const std::string signed_in = Feed(99);
  rapidjson::Document a;
  a.Parse(anonymous.data(), anonymous.size());
  rapidjson::Document s;
  s.Parse(signed_in.data(), signed_in.size());
  ASSERT_TRUE(a.IsObject() && s.IsObject()) << anonymous << signed_in;
  const auto& list_a = a["video_list"];
  const auto& list_s = s["video_list"];
  ASSERT_EQ(list_a.Size(), 3u);  // video 3's author is gone
  ASSERT_EQ(list_s.Size(), 3u);
  for (unsigned i = 0; i < list_s.Size(); ++i) {
    const std::int64_t id = list_s[i]["id"].GetInt64();
    EXPECT_FALSE(list_a[i]["is_favorite"].GetBool());
    EXPECT_FALSE(list_a[i]["author"]["is_follow"].GetBool());
    EXPECT_EQ(list_s[i]["is_favorite"].GetBool(), id % 2 == 1) << id;  // odd ones liked
    EXPECT_FALSE(list_a[i]["is_collected"].GetBool());
    EXPECT_EQ(list_s[i]["is_collected"].GetBool(), id % 2 == 0) << id;  // even ones bookmarked
    EXPECT_EQ(list_s[i]["collect_count"].GetInt64(), id * 10);
    EXPECT_EQ(list_s[i]["share_count"].GetInt64(), id * 7);
    EXPECT_EQ(list_a[i]["share_count"].GetInt64(), id * 7);
    EXPECT_TRUE(list_s[i]["author"]["is_follow"].GetBool());
    EXPECT_EQ(list_s[i]["comment_count"].GetInt64(), id * 3);
    EXPECT_EQ(list_s[i]["title"].GetString(), "v" + std::to_string(id));
  }
}

TEST_F(RenderedPageTest, AWriteToAnyStoreRendersAgainWithTheNewCounts) {
  Feed(0);
  comments.per_video = 5;  // a comment was added somewhere...
  EXPECT_NE(Feed(0).find("\"comment_count\":3,"), std::string::npos);  // ...unseen until
  writes.Advance();                                                    // its write is counted
  const int before = comments.calls;
  const std::string after = Feed(0);
  EXPECT_EQ(comments.calls, before + 1);
  EXPECT_NE(after.find("\"comment_count\":5,"), std::string::npos) << after;
  EXPECT_EQ(after.find("\"comment_count\":3,"), std::string::npos) << after;
}

// Issue 16: a hidden author's video is shown to the author only, so neither the author's
// rendering nor another viewer's "not shown" may be reused for someone else.
TEST_F(RenderedPageTest, AHiddenAuthorsVideoIsNotSharedAcrossViewers) {
  users.hidden = 2;
  EXPECT_NE(Feed(2).find("\"title\":\"v2\""), std::string::npos);
  EXPECT_EQ(Feed(5).find("\"title\":\"v2\""), std::string::npos);
  EXPECT_NE(Feed(2).find("\"title\":\"v2\""), std::string::npos);
  EXPECT_NE(Feed(5).find("\"title\":\"v1\""), std::string::npos);
}

TEST_F(RenderedPageTest, ARenderingMadeAcrossAWriteIsNotKept) {
  comments.on_call = [&] { writes.Advance(); };  // a write lands while the page loads
  Feed(0);
  comments.on_call = nullptr;
  const int before = comments.calls;
  Feed(0);
  EXPECT_EQ(comments.calls, before + 1);  // loaded again, not reused
  Feed(0);
  EXPECT_EQ(comments.calls, before + 1);  // that one was kept
}

// The caller read its page before the epoch was noted, so an edit may have landed between:
// what is kept comes from the store as it is, never from the caller's older copy.
TEST_F(RenderedPageTest, WhatIsKeptIsReadAfterTheEpochWasNoted) {
  videos.title_prefix = "edited ";  // the store, after an edit the caller's page predates
  const std::string shown = Feed(0);
  EXPECT_NE(shown.find("\"title\":\"edited 1\""), std::string::npos) << shown;
  EXPECT_EQ(shown.find("\"title\":\"v1\""), std::string::npos) << shown;
  EXPECT_EQ(Feed(0), shown);  // and that is what is reused
}

// Issue 16: an author's object counts all their works for themselves only, so a viewer's own
// videos are rendered for them alone and never reused for anyone else.
TEST_F(RenderedPageTest, AViewersOwnVideosAreNotSharedRenderings) {
  const auto work_count_of_author_1 = [](const std::string& feed) {
    rapidjson::Document doc;
    doc.Parse(feed.data(), feed.size());
    return doc["video_list"][0]["author"]["work_count"].GetInt64();
  };
  EXPECT_EQ(work_count_of_author_1(Feed(1)), 11) << "their own count, private ones included";
  EXPECT_EQ(work_count_of_author_1(Feed(2)), 10) << "others count what they may see";
  EXPECT_EQ(work_count_of_author_1(Feed(1)), 11);
}

TEST_F(RenderedPageTest, ARenderingWithADownCounterServiceIsNotKept) {
  favorites.failure = Unavailable("DEPENDENCY_UNAVAILABLE", "favorite.VideoStats: refused");
  EXPECT_NE(Feed(0).find("\"favorite_count\":0,"), std::string::npos);
  favorites.failure = Status::Ok();
  const std::string recovered = Feed(0);
  EXPECT_NE(recovered.find("\"favorite_count\":100,"), std::string::npos) << recovered;
}

TEST(RenderedVideosTest, StaysWithinItsCapacity) {
  cache::ChangeEpoch writes;
  RenderedVideos rendered(writes, 32);
  for (std::int64_t id = 1; id <= 1000; ++id) {
    auto video = std::make_shared<RenderedVideo>();
    video->video_id = id;
    rendered.Keep(video);
  }
  int kept = 0;
  for (std::int64_t id = 1; id <= 1000; ++id) kept += rendered.Find(id, 0) != nullptr;
  EXPECT_GT(kept, 0);
  EXPECT_LE(kept, 32);
  EXPECT_NE(rendered.Find(1000, 0), nullptr);  // the newest is there
  writes.Advance();
  EXPECT_EQ(rendered.Find(1000, writes.Now()), nullptr);  // made before the last write
}

}  // namespace
}  // namespace reel::views
