// The feed API over real gRPC on 127.0.0.1: FeedRpc (paging over a real VideoRpc on its
// SQLite store) served by FeedGrpcService, called through GrpcFeedClient. Pages must match
// what the in-process FeedRpc gives, errors must arrive exactly.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace reel
