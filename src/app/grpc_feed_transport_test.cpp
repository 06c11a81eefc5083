// The feed API over real gRPC on 127.0.0.1: FeedRpc (paging over a real VideoRpc on its
// SQLite store) served by FeedGrpcService, called through GrpcFeedClient. Pages must match
// what the in-process FeedRpc gives, errors must arrive exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "app/grpc_transport_testing.hpp"
#include "feed/api/feed_grpc_client.hpp"
#include "feed/api/feed_grpc_service.hpp"
#include "feed/api/feed_rpc.hpp"
#include "feed/api/hot_candidates.hpp"

namespace reel {
namespace {

using namespace std::chrono_literals;
using namespace grpc_testing;

struct FeedStack : VideoServiceOnDisk {
  FeedStack() {
    for (int i = 1; i <= 5; ++i) {
      clock.Advance(5ms);  // created_at_ms is the cursor
      video::v1::CreateVideoRequest request;
      request.set_author_id(i);
      request.set_title("video " + std::to_string(i));
      request.set_media_key(Key());
      EXPECT_TRUE(rpc.CreateVideo(request).ok());
    }
  }

  views::ServiceClients clients{nullptr, &rpc};
  feed::HotSnapshots hot{[this] { return feed::GatherHotCandidates(clients); }, clock};
  feed::FeedRpc feed{clients, hot, clock};
  feed::FeedGrpcService grpc{feed};
  Wire<feed::GrpcFeedClient> wire{grpc};
  feed::GrpcFeedClient& client = *wire.client;
};

feed::v1::GetFeedRequest Request(feed::v1::FeedType type, std::string cursor, int limit,
                                 std::int64_t viewer = 0) {
  feed::v1::GetFeedRequest request;
  request.set_type(type);
  request.set_cursor(std::move(cursor));
  request.set_limit(limit);
  request.set_viewer_id(viewer);
  return request;
}

std::vector<std::int64_t> Ids(const feed::v1::GetFeedReply& page) {
  std::vector<std::int64_t> ids;
  for (const auto& v : page.videos()) ids.push_back(v.id());
  return ids;
}

TEST(FeedOverGrpc, LatestPagesMatchTheInProcessFeed) {
  FeedStack s;
  std::vector<std::int64_t> seen;
  std::string cursor;
  for (int pages = 0; pages < 5; ++pages) {
    const auto request = Request(feed::v1::LATEST, cursor, 2);
    const auto over = Ok(s.client.GetFeed(request));
    const auto local = Ok(s.feed.GetFeed(request));
    EXPECT_EQ(Ids(over), Ids(local));
    EXPECT_EQ(over.next_cursor(), local.next_cursor());
    for (std::int64_t id : Ids(over)) seen.push_back(id);
    cursor = over.next_cursor();
    if (cursor.empty()) break;
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{5, 4, 3, 2, 1}));  // newest first, each once
}

TEST(FeedOverGrpc, HotPagesComeFromOneRanking) {
  FeedStack s;
  const auto first = Ok(s.client.GetFeed(Request(feed::v1::HOT, "", 3)));
  ASSERT_EQ(first.videos_size(), 3);
  ASSERT_FALSE(first.next_cursor().empty());
  const auto second = Ok(s.client.GetFeed(Request(feed::v1::HOT, first.next_cursor(), 3)));
  EXPECT_EQ(second.videos_size(), 2);
  EXPECT_TRUE(second.next_cursor().empty());
}

TEST(FeedOverGrpc, ErrorsArriveAsTheServiceGaveThem) {
  FeedStack s;
  const auto no_limit = Request(feed::v1::LATEST, "", 0);
  ExpectSameError(s.client.GetFeed(no_limit), s.feed.GetFeed(no_limit), "PARAM_INVALID");
  const auto bad_cursor = Request(feed::v1::LATEST, "12x", 5);
  ExpectSameError(s.client.GetFeed(bad_cursor), s.feed.GetFeed(bad_cursor), "PARAM_INVALID");
  const auto anonymous_following = Request(feed::v1::FOLLOWING, "", 5);
  ExpectSameError(s.client.GetFeed(anonymous_following), s.feed.GetFeed(anonymous_following),
                  "TOKEN_MISSING");
  EXPECT_EQ(s.client.GetFeed(anonymous_following).status().code, Code::kUnauthenticated);
}

// The Douyin feed (in-process, for /douyin/feed): each page says where the next starts, and
// the end of the feed points back at now, where the newest videos are.
TEST(FeedRpc, DouyinFeedPagesByTimeAndPointsBackAtNowAtTheEnd) {
  FeedStack s;
  auto first = s.feed.DouyinFeed(0);
  ASSERT_TRUE(first.ok()) << first.status().message;
  ASSERT_EQ(first->videos.videos_size(), 5);
  const std::int64_t oldest = first->videos.videos(4).created_at_ms();
  EXPECT_EQ(first->next_time_ms, oldest);

  s.clock.Advance(1h);
  auto end = s.feed.DouyinFeed(oldest);
  ASSERT_TRUE(end.ok()) << end.status().message;
  EXPECT_EQ(end->videos.videos_size(), 0);
  EXPECT_EQ(end->next_time_ms,
            std::chrono::duration_cast<std::chrono::milliseconds>(s.clock.Now().time_since_epoch())
                .count());
}

TEST(FeedOverGrpc, GetFeedIsARetriedRead) {
  FeedStack s;
  // A client whose only call failed throttles half its retries (the breaker has seen no
  // accepted call yet); a few good calls first make the retry certain.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(s.client.GetFeed(Request(feed::v1::LATEST, "", 1)).ok());
  ExpectRetriedRead(*s.wire.channels, "GetFeed",
                    [&] { return s.client.GetFeed(Request(feed::v1::LATEST, "", 5)); });
}

// Issue 16: viewer 9 blocked authors 2 and 4. `down`: the relation service cannot be reached.
class FakeBlocks final : public relation::UnimplementedRelationClient {
 public:
  Result<relation::v1::BlockedIdsReply> BlockedIds(
      const relation::v1::BlockedIdsRequest& request) override {
    if (down) return Unavailable("DEPENDENCY_TIMEOUT", "relation.BlockedIds: no answer in time");
    relation::v1::BlockedIdsReply reply;
    if (request.user_id() == 9) {
      reply.add_user_ids(2);
      reply.add_user_ids(4);
    }
    return reply;
  }
  bool down = false;
};

std::vector<std::int64_t> Authors(const google::protobuf::RepeatedPtrField<video::v1::Video>& v) {
  std::vector<std::int64_t> authors;
  for (const auto& video : v) authors.push_back(video.author_id());
  return authors;
}

TEST(FeedRpc, AViewersBlockedAuthorsLeaveTheirFeedsAndAnOutageLeavesThemUnfiltered) {
  FeedStack s;
  FakeBlocks blocks;
  views::ServiceClients clients{nullptr, &s.rpc, nullptr, nullptr, &blocks};
  feed::HotSnapshots hot{[&] { return feed::GatherHotCandidates(clients); }, s.clock};
  feed::FeedRpc feed{clients, hot, s.clock};
  using Vec = std::vector<std::int64_t>;

  EXPECT_EQ(Authors(Ok(feed.GetFeed(Request(feed::v1::LATEST, "", 10, 9))).videos()),
            (Vec{5, 3, 1}));
  auto ranked = Authors(Ok(feed.GetFeed(Request(feed::v1::HOT, "", 10, 9))).videos());
  std::sort(ranked.begin(), ranked.end());
  EXPECT_EQ(ranked, (Vec{1, 3, 5}));
  auto douyin = feed.DouyinFeed(0, 9);
  ASSERT_TRUE(douyin.ok()) << douyin.status().message;
  EXPECT_EQ(Authors(douyin->videos.videos()), (Vec{5, 3, 1}));
  // Someone else, or nobody, sees every author.
  EXPECT_EQ(Authors(Ok(feed.GetFeed(Request(feed::v1::LATEST, "", 10, 7))).videos()).size(), 5u);
  EXPECT_EQ(Authors(Ok(feed.GetFeed(Request(feed::v1::LATEST, "", 10))).videos()).size(), 5u);

  blocks.down = true;
  EXPECT_EQ(Authors(Ok(feed.GetFeed(Request(feed::v1::LATEST, "", 10, 9))).videos()).size(), 5u);
  EXPECT_EQ(Authors(Ok(feed.GetFeed(Request(feed::v1::HOT, "", 10, 9))).videos()).size(), 5u);
  ASSERT_TRUE(feed.DouyinFeed(0, 9).ok());
}

}  // namespace
}  // namespace reel
