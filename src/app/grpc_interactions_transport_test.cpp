// The favorite, comment and relation APIs over real gRPC on 127.0.0.1, as
// grpc_transport_test.cpp does for user and video: the real Rpc on its real SQLite store
// behind a real server, called through the Grpc client; errors compared with the in-process
// Rpc's; batch calls with many ids. The other services these ask (which videos and users
// exist) are fixed tables here: they are ports, not the service under test.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/grpc_transport_testing.hpp"
#include "comment/api/comment_grpc_client.hpp"
#include "comment/api/comment_grpc_service.hpp"
#include "comment/api/comment_rpc.hpp"
#include "comment/store/comment_migrations.hpp"
#include "comment/store/sql_comment_repository.hpp"
#include "favorite/api/favorite_grpc_client.hpp"
#include "favorite/api/favorite_grpc_service.hpp"
#include "favorite/api/favorite_rpc.hpp"
#include "favorite/store/favorite_migrations.hpp"
#include "favorite/store/sql_collection_repository.hpp"
#include "favorite/store/sql_favorite_repository.hpp"
#include "kit/db/sqlite.hpp"
#include "kit/events/commit_hook.hpp"
#include "relation/api/relation_grpc_client.hpp"
#include "relation/api/relation_grpc_service.hpp"
#include "relation/api/relation_rpc.hpp"
#include "relation/store/relation_migrations.hpp"
#include "relation/store/sql_relation_repository.hpp"

namespace reel {
namespace {

using namespace std::chrono_literals;
using namespace grpc_testing;

// ---------------------------------------------------------------------------------------
// favorite and comment: videos 1..200 exist; video v is by author 1000 + v % 5.

class FixedVideos final : public favorite::VideoDirectory, public comment::VideoDirectory {
 public:
  // Both ports name the viewer (issue 16); every video here is visible to all.
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id, std::int64_t) override {
    if (video_id < 1 || video_id > 200) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(1000 + video_id % 5);
  }
};

// comment: nobody has blocked anybody.
class NoBlocks final : public comment::BlockList {
 public:
  Result<std::vector<std::int64_t>> BlockedBy(std::int64_t,
                                              std::span<const std::int64_t>) override {
    return std::vector<std::int64_t>{};
  }
  Result<std::vector<std::int64_t>> BlockedIds(std::int64_t) override {
    return std::vector<std::int64_t>{};
  }
};

// favorite: users 1..100 exist.
class FavoriteUsers final : public favorite::UserDirectory {
 public:
  Result<bool> Exists(std::int64_t user_id) override { return user_id >= 1 && user_id <= 100; }
};

struct FavoriteStack {
  TempDir dir;
  std::unique_ptr<db::SqliteDb> db = OpenStore(dir, "favorite", favorite::FavoriteMigrations());
  favorite::SqlFavoriteRepository repository{*db};
  FixedVideos videos;
  FavoriteUsers users;
  events::NoCommitHook events;
  ManualClock clock;
  favorite::FavoriteService service{repository, videos, users, events, clock};
  favorite::SqlCollectionRepository collection_repository{*db};
  favorite::CollectionService collections{collection_repository, videos, users, clock};
  favorite::FavoriteRpc rpc{service, collections};
  favorite::FavoriteGrpcService grpc{rpc};
  Wire<favorite::GrpcFavoriteClient> wire{grpc};
  favorite::GrpcFavoriteClient& client = *wire.client;
};

class FavoriteOverGrpc : public ::testing::Test {
 protected:
  static favorite::v1::LikeRequest LikeOf(std::int64_t user, std::int64_t video) {
    favorite::v1::LikeRequest request;
    request.set_user_id(user);
    request.set_video_id(video);
    return request;
  }
  favorite::v1::VideoFavoriteStat StatOf(std::int64_t video, std::int64_t viewer) {
    favorite::v1::VideoStatsRequest request;
    request.add_video_ids(video);
    request.set_viewer_id(viewer);
    return Ok(s.client.VideoStats(request)).stats().at(video);
  }

  FavoriteStack s;
};

TEST_F(FavoriteOverGrpc, LikeAndUnlikeRoundTrip) {
  EXPECT_TRUE(Ok(s.client.Like(LikeOf(1, 10))).changed());
  EXPECT_FALSE(Ok(s.client.Like(LikeOf(1, 10))).changed());  // idempotent
  EXPECT_EQ(StatOf(10, 1).favorite_count(), 1);
  EXPECT_TRUE(StatOf(10, 1).liked_by_viewer());
  EXPECT_FALSE(StatOf(10, 2).liked_by_viewer());

  favorite::v1::ListLikedRequest liked;
  liked.set_user_id(1);
  const auto page = Ok(s.client.ListLiked(liked));
  EXPECT_EQ(std::vector<std::int64_t>(page.video_ids().begin(), page.video_ids().end()),
            (std::vector<std::int64_t>{10}));

  favorite::v1::UnlikeRequest unlike;
  unlike.set_user_id(1);
  unlike.set_video_id(10);
  EXPECT_TRUE(Ok(s.client.Unlike(unlike)).changed());
  EXPECT_FALSE(Ok(s.client.Unlike(unlike)).changed());
  EXPECT_EQ(StatOf(10, 1).favorite_count(), 0);
}

TEST_F(FavoriteOverGrpc, ErrorsArriveAsTheServiceGaveThem) {
  ExpectSameError(s.client.Like(LikeOf(1, 9999)), s.rpc.Like(LikeOf(1, 9999)), "VIDEO_NOT_FOUND");
  EXPECT_EQ(s.client.Like(LikeOf(1, 9999)).status().code, Code::kNotFound);
  ExpectSameError(s.client.Like(LikeOf(0, 10)), s.rpc.Like(LikeOf(0, 10)), "USER_ID_INVALID");
  EXPECT_EQ(StatOf(10, 0).favorite_count(), 0);
  favorite::v1::ListLikedRequest nobody;
  nobody.set_user_id(9999);
  nobody.set_owner_must_exist(true);
  ExpectSameError(s.client.ListLiked(nobody), s.rpc.ListLiked(nobody), "USER_NOT_FOUND");
}

TEST_F(FavoriteOverGrpc, BookmarksSettingsAndSharesRoundTrip) {
  favorite::v1::CollectRequest collect;
  collect.set_user_id(1);
  collect.set_video_id(10);
  EXPECT_TRUE(Ok(s.client.Collect(collect)).changed());
  EXPECT_FALSE(Ok(s.client.Collect(collect)).changed());  // idempotent
  EXPECT_EQ(StatOf(10, 1).collect_count(), 1);
  EXPECT_TRUE(StatOf(10, 1).collected_by_viewer());
  EXPECT_FALSE(StatOf(10, 2).collected_by_viewer());

  // The optional `public` crosses the wire as set / unset.
  favorite::v1::CollectionSettingsRequest settings;
  settings.set_user_id(1);
  favorite::v1::ListCollectedRequest list;
  list.set_user_id(1);
  list.set_viewer_id(2);
  ExpectSameError(s.client.ListCollected(list), s.rpc.ListCollected(list), "COLLECTIONS_PRIVATE");
  EXPECT_FALSE(Ok(s.client.CollectionSettings(settings)).public_());
  settings.set_public_(true);
  EXPECT_TRUE(Ok(s.client.CollectionSettings(settings)).public_());
  settings.clear_public_();
  EXPECT_TRUE(Ok(s.client.CollectionSettings(settings)).public_());  // read, not reset
  const auto page = Ok(s.client.ListCollected(list));
  EXPECT_EQ(std::vector<std::int64_t>(page.video_ids().begin(), page.video_ids().end()),
            (std::vector<std::int64_t>{10}));

  favorite::v1::ShareRequest share;
  share.set_user_id(2);
  share.set_video_id(10);
  const auto first = Ok(s.client.Share(share));
  EXPECT_TRUE(first.counted());
  EXPECT_EQ(first.share_count(), 1);
  EXPECT_FALSE(Ok(s.client.Share(share)).counted());
  EXPECT_EQ(StatOf(10, 0).share_count(), 1);
}

TEST_F(FavoriteOverGrpc, ManyVideosAndUsersInOneCall) {
  // User u likes videos 1..u, so video v (v <= 20) has 21 - v likes.
  for (std::int64_t u = 1; u <= 20; ++u) {
    for (std::int64_t v = 1; v <= u; ++v) ASSERT_TRUE(s.rpc.Like(LikeOf(u, v)).ok());
  }

  favorite::v1::VideoStatsRequest videos;
  for (std::int64_t v = 1; v <= 150; ++v) videos.add_video_ids(v);
  videos.set_viewer_id(5);
  const auto stats = Ok(s.client.VideoStats(videos)).stats();
  ASSERT_EQ(stats.size(), 150u);
  EXPECT_EQ(stats.at(1).favorite_count(), 20);
  EXPECT_TRUE(stats.at(5).liked_by_viewer());
  EXPECT_EQ(stats.at(6).favorite_count(), 15);
  EXPECT_FALSE(stats.at(6).liked_by_viewer());
  EXPECT_EQ(stats.at(150).favorite_count(), 0);

  favorite::v1::UserStatsRequest users;
  for (std::int64_t u = 1; u <= 20; ++u) users.add_user_ids(u);
  users.add_user_ids(1001);  // author of videos 1, 6, 11, 16: 20 + 15 + 10 + 5 likes
  const auto user_stats = Ok(s.client.UserStats(users)).stats();
  ASSERT_EQ(user_stats.size(), 21u);
  EXPECT_EQ(user_stats.at(7).favorite_count(), 7);
  EXPECT_EQ(user_stats.at(1001).total_favorited(), 50);

  favorite::v1::TopVideosRequest top;
  top.set_limit(3);
  const auto best = Ok(s.client.TopVideos(top));
  ASSERT_EQ(best.videos_size(), 3);
  EXPECT_EQ(best.videos(0).video_id(), 1);
  EXPECT_EQ(best.videos(0).count(), 20);
  EXPECT_EQ(best.videos(2).video_id(), 3);

  std::set<std::int64_t> liked;
  favorite::v1::ListLikedRequest page;
  page.set_user_id(20);
  page.set_limit(8);
  int pages = 0;
  for (; pages < 10; ++pages) {
    const auto reply = Ok(s.client.ListLiked(page));
    liked.insert(reply.video_ids().begin(), reply.video_ids().end());
    if (reply.next_cursor() == 0) break;
    page.set_cursor(reply.next_cursor());
  }
  EXPECT_EQ(pages, 2);  // 8 + 8 + 4
  EXPECT_EQ(liked.size(), 20u);
}

TEST_F(FavoriteOverGrpc, ReadsAreRetriedOnAnotherInstanceWritesAreNot) {
  ASSERT_TRUE(s.client.TopVideos({}).ok());  // the breaker has seen the service answer
  ScriptedChannels& channels = *s.wire.channels;
  ExpectRetriedRead(channels, "ListLiked", [&] { return s.client.ListLiked({}); });
  ExpectRetriedRead(channels, "VideoStats", [&] { return s.client.VideoStats({}); });
  ExpectRetriedRead(channels, "UserStats", [&] { return s.client.UserStats({}); });
  ExpectRetriedRead(channels, "TopVideos", [&] { return s.client.TopVideos({}); });
  ExpectUnretriedWrite(channels, "Like", [&] { return s.client.Like({}); });
  ExpectUnretriedWrite(channels, "Unlike", [&] { return s.client.Unlike({}); });
}

// ---------------------------------------------------------------------------------------
// comment

struct CommentStack {
  TempDir dir;
  std::unique_ptr<db::SqliteDb> db = OpenStore(dir, "comment", comment::CommentMigrations());
  comment::SqlCommentRepository repository{*db};
  FixedVideos videos;
  events::NoCommitHook events;
  ManualClock clock;
  NoBlocks blocks;
  comment::CommentService service{repository, videos, blocks, events, clock};
  comment::CommentRpc rpc{service};
  comment::CommentGrpcService grpc{rpc};
  Wire<comment::GrpcCommentClient> wire{grpc};
  comment::GrpcCommentClient& client = *wire.client;
};

class CommentOverGrpc : public ::testing::Test {
 protected:
  static comment::v1::CreateCommentRequest CommentOf(std::int64_t user, std::int64_t video,
                                                     std::string content) {
    comment::v1::CreateCommentRequest request;
    request.set_user_id(user);
    request.set_video_id(video);
    request.set_content(std::move(content));
    return request;
  }
  static comment::v1::DeleteCommentRequest DeletionOf(std::int64_t user, std::int64_t comment) {
    comment::v1::DeleteCommentRequest request;
    request.set_user_id(user);
    request.set_comment_id(comment);
    return request;
  }
  std::vector<std::string> Contents(std::int64_t video) {
    comment::v1::ListCommentsRequest request;
    request.set_video_id(video);
    std::vector<std::string> out;
    const auto reply = Ok(s.client.List(request));
    for (const auto& c : reply.comments()) out.push_back(c.content());
    return out;
  }

  CommentStack s;
};

TEST_F(CommentOverGrpc, CommentListAndDeleteRoundTrip) {
  const auto made = Ok(s.client.Create(CommentOf(2, 10, "first! 第一"))).comment();
  ASSERT_GT(made.id(), 0);
  EXPECT_EQ(made.video_id(), 10);
  EXPECT_EQ(made.user_id(), 2);
  ASSERT_TRUE(s.client.Create(CommentOf(3, 10, "second")).ok());
  EXPECT_EQ(Contents(10), (std::vector<std::string>{"second", "first! 第一"}));

  const auto deleted = Ok(s.client.Delete(DeletionOf(2, made.id()))).comment();
  EXPECT_EQ(deleted.id(), made.id());
  EXPECT_EQ(deleted.content(), "first! 第一");
  EXPECT_EQ(Contents(10), (std::vector<std::string>{"second"}));
}

TEST_F(CommentOverGrpc, ErrorsArriveAsTheServiceGaveThem) {
  const auto made = Ok(s.client.Create(CommentOf(2, 10, "mine"))).comment();

  ExpectSameError(s.client.Create(CommentOf(2, 9999, "hi")), s.rpc.Create(CommentOf(2, 9999, "hi")),
                  "VIDEO_NOT_FOUND");
  ExpectSameError(s.client.Create(CommentOf(2, 10, "  \n ")),
                  s.rpc.Create(CommentOf(2, 10, "  \n ")), "COMMENT_INVALID");
  // User 3 wrote neither the comment nor the video (by author 1000).
  ExpectSameError(s.client.Delete(DeletionOf(3, made.id())), s.rpc.Delete(DeletionOf(3, made.id())),
                  "COMMENT_NOT_YOURS");
  EXPECT_EQ(s.client.Delete(DeletionOf(3, made.id())).status().code, Code::kPermissionDenied);
  ExpectSameError(s.client.Delete(DeletionOf(2, made.id() + 99)),
                  s.rpc.Delete(DeletionOf(2, made.id() + 99)), "COMMENT_NOT_FOUND");

  comment::v1::ListCommentsRequest bad_cursor;
  bad_cursor.set_video_id(10);
  bad_cursor.set_cursor(-1);
  ExpectSameError(s.client.List(bad_cursor), s.rpc.List(bad_cursor), "CURSOR_INVALID");

  EXPECT_EQ(Contents(10), (std::vector<std::string>{"mine"}));
}

TEST_F(CommentOverGrpc, ManyVideosInOneCall) {
  // Video v (1..12) gets v comments.
  for (std::int64_t v = 1; v <= 12; ++v) {
    for (std::int64_t i = 0; i < v; ++i) {
      ASSERT_TRUE(s.rpc.Create(CommentOf(1 + i, v, "c" + std::to_string(i))).ok());
    }
  }

  comment::v1::CountCommentsRequest count;
  for (std::int64_t v = 1; v <= 120; ++v) count.add_video_ids(v);
  const auto counts = Ok(s.client.CountByVideos(count)).counts();
  ASSERT_EQ(counts.size(), 120u);
  EXPECT_EQ(counts.at(1), 1);
  EXPECT_EQ(counts.at(12), 12);
  EXPECT_EQ(counts.at(120), 0);

  comment::v1::TopVideosRequest top;
  top.set_limit(3);
  const auto best = Ok(s.client.TopVideos(top));
  ASSERT_EQ(best.videos_size(), 3);
  EXPECT_EQ(best.videos(0).video_id(), 12);
  EXPECT_EQ(best.videos(0).count(), 12);
  EXPECT_EQ(best.videos(2).video_id(), 10);

  std::set<std::int64_t> seen;
  comment::v1::ListCommentsRequest page;
  page.set_video_id(12);
  page.set_limit(5);
  for (int pages = 0; pages < 10; ++pages) {
    const auto reply = Ok(s.client.List(page));
    for (const auto& c : reply.comments()) seen.insert(c.id());
    if (reply.next_cursor() == 0) break;
    page.set_cursor(reply.next_cursor());
  }
  EXPECT_EQ(seen.size(), 12u);
}

TEST_F(CommentOverGrpc, ReadsAreRetriedOnAnotherInstanceWritesAreNot) {
  ASSERT_TRUE(s.client.TopVideos({}).ok());  // the breaker has seen the service answer
  ScriptedChannels& channels = *s.wire.channels;
  ExpectRetriedRead(channels, "List", [&] { return s.client.List({}); });
  ExpectRetriedRead(channels, "CountByVideos", [&] { return s.client.CountByVideos({}); });
  ExpectRetriedRead(channels, "TopVideos", [&] { return s.client.TopVideos({}); });
  ExpectUnretriedWrite(channels, "Create", [&] { return s.client.Create({}); });
  ExpectUnretriedWrite(channels, "Delete", [&] { return s.client.Delete({}); });
}

// ---------------------------------------------------------------------------------------
// relation: users 1..100 exist.

class FixedUsers final : public relation::UserDirectory {
 public:
  Result<bool> Exists(std::int64_t user_id) override { return user_id >= 1 && user_id <= 100; }
};

struct RelationStack {
  TempDir dir;
  std::unique_ptr<db::SqliteDb> db = OpenStore(dir, "relation", relation::RelationMigrations());
  relation::SqlRelationRepository repository{*db};
  FixedUsers users;
  ManualClock clock;
  relation::RelationService service{repository, users, clock};
  relation::RelationRpc rpc{service};
  relation::RelationGrpcService grpc{rpc};
  Wire<relation::GrpcRelationClient> wire{grpc};
  relation::GrpcRelationClient& client = *wire.client;
};

class RelationOverGrpc : public ::testing::Test {
 protected:
  static relation::v1::FollowRequest FollowOf(std::int64_t user, std::int64_t to) {
    relation::v1::FollowRequest request;
    request.set_user_id(user);
    request.set_to_user_id(to);
    return request;
  }
  static relation::v1::SendMessageRequest MessageOf(std::int64_t from, std::int64_t to,
                                                    std::string content) {
    relation::v1::SendMessageRequest request;
    request.set_from_user_id(from);
    request.set_to_user_id(to);
    request.set_content(std::move(content));
    return request;
  }
  std::vector<std::int64_t> Related(std::int64_t user, relation::v1::RelationKind kind) {
    relation::v1::ListRelationsRequest request;
    request.set_user_id(user);
    request.set_kind(kind);
    const auto reply = Ok(s.client.ListRelations(request));
    return {reply.user_ids().begin(), reply.user_ids().end()};
  }

  RelationStack s;
};

TEST_F(RelationOverGrpc, FollowsAndMessagesRoundTrip) {
  EXPECT_TRUE(Ok(s.client.Follow(FollowOf(1, 2))).changed());
  EXPECT_FALSE(Ok(s.client.Follow(FollowOf(1, 2))).changed());  // idempotent
  EXPECT_TRUE(Related(1, relation::v1::FRIENDS).empty());
  ASSERT_TRUE(s.client.Follow(FollowOf(2, 1)).ok());
  EXPECT_EQ(Related(1, relation::v1::FRIENDS), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(Related(2, relation::v1::FOLLOWERS), (std::vector<std::int64_t>{1}));

  s.clock.Advance(5ms);
  const auto sent = Ok(s.client.SendMessage(MessageOf(1, 2, "hi 你好"))).message();
  EXPECT_EQ(sent.content(), "hi 你好");
  relation::v1::ChatRequest chat;
  chat.set_user_id(2);
  chat.set_peer_id(1);
  const auto messages = Ok(s.client.Chat(chat)).messages();
  ASSERT_EQ(messages.size(), 1);
  EXPECT_EQ(messages[0].id(), sent.id());
  EXPECT_EQ(messages[0].from_user_id(), 1);

  relation::v1::UnfollowRequest unfollow;
  unfollow.set_user_id(1);
  unfollow.set_to_user_id(2);
  EXPECT_TRUE(Ok(s.client.Unfollow(unfollow)).changed());
  EXPECT_TRUE(Related(1, relation::v1::FRIENDS).empty());
}

TEST_F(RelationOverGrpc, ErrorsArriveAsTheServiceGaveThem) {
  ExpectSameError(s.client.Follow(FollowOf(1, 1)), s.rpc.Follow(FollowOf(1, 1)),
                  "CANNOT_FOLLOW_SELF");
  ExpectSameError(s.client.Follow(FollowOf(1, 999)), s.rpc.Follow(FollowOf(1, 999)),
                  "USER_NOT_FOUND");
  EXPECT_EQ(s.client.Follow(FollowOf(1, 999)).status().code, Code::kNotFound);
  ExpectSameError(s.client.SendMessage(MessageOf(1, 1, "hi")),
                  s.rpc.SendMessage(MessageOf(1, 1, "hi")), "CANNOT_MESSAGE_SELF");
  ExpectSameError(s.client.SendMessage(MessageOf(1, 2, " ")),
                  s.rpc.SendMessage(MessageOf(1, 2, " ")), "MESSAGE_INVALID");
  relation::v1::ChatRequest nobody;
  nobody.set_user_id(1);
  nobody.set_peer_id(999);
  nobody.set_peer_must_exist(true);
  ExpectSameError(s.client.Chat(nobody), s.rpc.Chat(nobody), "USER_NOT_FOUND");

  relation::v1::ListRelationsRequest no_kind;
  no_kind.set_user_id(1);
  ExpectSameError(s.client.ListRelations(no_kind), s.rpc.ListRelations(no_kind),
                  "RELATION_KIND_INVALID");

  EXPECT_TRUE(Related(1, relation::v1::FOLLOWING).empty());
}

TEST_F(RelationOverGrpc, ManyUsersAndPeersInOneCall) {
  for (std::int64_t u = 2; u <= 61; ++u) ASSERT_TRUE(s.rpc.Follow(FollowOf(u, 1)).ok());
  for (std::int64_t u = 2; u <= 11; ++u) ASSERT_TRUE(s.rpc.Follow(FollowOf(1, u)).ok());

  relation::v1::RelationStatsRequest stats_request;
  for (std::int64_t u = 1; u <= 100; ++u) stats_request.add_user_ids(u);
  stats_request.set_viewer_id(2);
  const auto stats = Ok(s.client.Stats(stats_request)).stats();
  ASSERT_EQ(stats.size(), 100u);
  EXPECT_EQ(stats.at(1).follower_count(), 60);
  EXPECT_EQ(stats.at(1).follow_count(), 10);
  EXPECT_TRUE(stats.at(1).followed_by_viewer());
  EXPECT_EQ(stats.at(3).follower_count(), 1);
  EXPECT_FALSE(stats.at(3).followed_by_viewer());
  EXPECT_EQ(stats.at(100).follower_count(), 0);

  for (std::int64_t peer = 2; peer <= 31; ++peer) {
    s.clock.Advance(1ms);
    ASSERT_TRUE(s.rpc.SendMessage(MessageOf(1, peer, "to " + std::to_string(peer))).ok());
  }
  relation::v1::LatestMessagesRequest latest_request;
  latest_request.set_user_id(1);
  for (std::int64_t peer = 2; peer <= 51; ++peer) latest_request.add_peer_ids(peer);
  const auto latest = Ok(s.client.LatestMessages(latest_request)).latest();
  ASSERT_EQ(latest.size(), 30u);  // peers without messages are absent
  EXPECT_EQ(latest.at(17).content(), "to 17");

  std::set<std::int64_t> followers;
  relation::v1::ListRelationsRequest page;
  page.set_user_id(1);
  page.set_kind(relation::v1::FOLLOWERS);
  page.set_limit(25);
  for (int pages = 0; pages < 10; ++pages) {
    const auto reply = Ok(s.client.ListRelations(page));
    followers.insert(reply.user_ids().begin(), reply.user_ids().end());
    if (reply.next_cursor() == 0) break;
    page.set_cursor(reply.next_cursor());
  }
  EXPECT_EQ(followers.size(), 60u);
}

TEST_F(RelationOverGrpc, ReadsAreRetriedOnAnotherInstanceWritesAreNot) {
  ASSERT_TRUE(s.client.Stats({}).ok());  // the breaker has seen the service answer
  ScriptedChannels& channels = *s.wire.channels;
  ExpectRetriedRead(channels, "ListRelations", [&] { return s.client.ListRelations({}); });
  ExpectRetriedRead(channels, "Stats", [&] { return s.client.Stats({}); });
  ExpectRetriedRead(channels, "Chat", [&] { return s.client.Chat({}); });
  ExpectRetriedRead(channels, "LatestMessages", [&] { return s.client.LatestMessages({}); });
  ExpectUnretriedWrite(channels, "Follow", [&] { return s.client.Follow({}); });
  ExpectUnretriedWrite(channels, "Unfollow", [&] { return s.client.Unfollow({}); });
  ExpectUnretriedWrite(channels, "SendMessage", [&] { return s.client.SendMessage({}); });
}

}  // namespace
}  // namespace reel
