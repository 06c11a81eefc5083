// Deleting a video takes its likes and comments with it: DELETE /api/video/{id} and then
// every counter and list the favorite and comment services show.
#include <cstdint>
#include <string>
#include <vector>

#include "interactions_api_fixture.hpp"

namespace reel::e2e {
namespace {

using Ids = std::vector<std::int64_t>;

class VideoDeleteCascadeTest : public ApiInteractionTest {
 protected:
  void SetUp() override {
    ApiInteractionTest::SetUp();
    if (HasFatalFailure()) return;
    ann_ = NewApiUser("ann");
    ben_ = NewApiUser("ben");
    carl_ = NewApiUser("carl");
    ASSERT_GT(carl_.user_id, 0);
    doomed_ = PublishVideo(AsDouyin(ann_), "doomed");
    kept_ = PublishVideo(AsDouyin(ann_), "kept");
    ASSERT_GT(doomed_, 0);
    ASSERT_GT(kept_, 0);
  }

  void Like(const ApiSession& who, std::int64_t video) {
    const ApiReply reply =
        PostApi("/api/favorite/action",
                R"({"action":"like","video_id":)" + std::to_string(video) + "}", who.access_token);
    EXPECT_TRUE(IsApiOk(reply));
  }
  void Comment(const ApiSession& who, std::int64_t video) {
    const ApiReply reply = PostApi(
        "/api/comment/create", R"({"content":"hello","video_id":)" + std::to_string(video) + "}",
        who.access_token);
    EXPECT_TRUE(IsApiOk(reply));
  }
  ApiReply DeleteVideo(std::int64_t video) {
    return DeleteApi("/api/video/" + std::to_string(video), ann_.access_token);
  }
  Ids LikedBy(const ApiSession& who) {
    return ReplyIds(GetApi("/api/favorite/videos", {}, who.access_token), "videos");
  }

  ApiSession ann_;
  ApiSession ben_;
  ApiSession carl_;
  std::int64_t doomed_ = 0;
  std::int64_t kept_ = 0;
};

TEST_F(VideoDeleteCascadeTest, LikesCommentsAndCountersGoWithTheVideo) {
  Like(ben_, doomed_);
  Like(carl_, doomed_);
  Like(ann_, doomed_);  // the author's like of their own video
  Like(ben_, kept_);
  Comment(ben_, doomed_);
  Comment(carl_, doomed_);
  Comment(carl_, kept_);
  ASSERT_EQ(JsonInt(ApiUser(ann_.user_id), "total_favorited"), 4);
  ASSERT_EQ(JsonInt(ApiUser(ben_.user_id), "favorite_count"), 2);
  ASSERT_EQ(VideoCountsOf(doomed_), (VideoCounts{3, 2, false}));

  const ApiReply deleted = DeleteVideo(doomed_);
  ASSERT_TRUE(IsApiOk(deleted));
  // The cascade is the job service's: done before the delete answers in `reel all`, a
  // moment after in a cluster.
  ASSERT_TRUE(Server().WaitForEvents());

  // Every counter lost exactly what the video held, and nothing more.
  const rapidjson::Document ann = ApiUser(ann_.user_id);
  EXPECT_EQ(JsonInt(ann, "total_favorited"), 1);
  EXPECT_EQ(JsonInt(ann, "favorite_count"), 0);
  EXPECT_EQ(JsonInt(ann, "work_count"), 1);
  EXPECT_EQ(JsonInt(ApiUser(ben_.user_id), "favorite_count"), 1);
  EXPECT_EQ(JsonInt(ApiUser(carl_.user_id), "favorite_count"), 0);
  EXPECT_EQ(LikedBy(ben_), (Ids{kept_}));
  EXPECT_TRUE(LikedBy(carl_).empty());
  EXPECT_EQ(IdsIn(FavoriteList(Client(), ben_.user_id, ben_.access_token), "video_list"),
            (Ids{kept_}));
  EXPECT_EQ(VideoCountsOf(kept_, ben_.access_token), (VideoCounts{1, 1, true}));

  // The video's comments are gone with it; the other video's stay.
  EXPECT_TRUE(IsApiError(GetApi("/api/comment/get", {{"video_id", std::to_string(doomed_)}}, {}),
                         404, "VIDEO_NOT_FOUND"));
  EXPECT_EQ(
      ReplyIds(GetApi("/api/comment/get", {{"video_id", std::to_string(kept_)}}, {}), "comments")
          .size(),
      1u);
  // Nothing can be added to it any more.
  EXPECT_TRUE(IsApiError(
      PostApi("/api/favorite/action",
              R"({"action":"like","video_id":)" + std::to_string(doomed_) + "}", ben_.access_token),
      404, "VIDEO_NOT_FOUND"));

  // Deleting again is refused and moves nothing.
  const std::string after = Snapshot({ann_.user_id, ben_.user_id, carl_.user_id}, {kept_});
  EXPECT_TRUE(IsApiError(DeleteVideo(doomed_), 404, "VIDEO_NOT_FOUND"));
  EXPECT_EQ(Snapshot({ann_.user_id, ben_.user_id, carl_.user_id}, {kept_}), after);
}

}  // namespace
}  // namespace reel::e2e
