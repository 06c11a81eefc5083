// Douyin feed end to end: GET /douyin/feed/ lists published videos newest first, 30 at a time,
// paged by a millisecond `latest_time` cursor, for anonymous and signed-in viewers alike.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "media_fixtures.hpp"

namespace reel::e2e {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFeed = "/douyin/feed/";
constexpr rapidjson::SizeType kPageSize = 30;

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Returns once the wall clock has moved past the millisecond it showed on entry, so the next
// upload gets a strictly later timestamp than anything before the call.
void WaitForNextMillisecond() {
  const std::int64_t start = NowMs();
  for (int i = 0; i < 100 && NowMs() <= start; ++i) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

class FeedTest : public MediaServerTest {
 protected:
  HttpResponse Feed(const Pairs& query = {}) { return Client().Get(WithQuery(kFeed, query)); }

  // The feed answer's video_list, after checking the envelope; empty when refused.
  static std::vector<const rapidjson::Value*> FeedVideos(const HttpResponse& response,
                                                         const rapidjson::Document& doc) {
    std::vector<const rapidjson::Value*> videos;
    EXPECT_EQ(response.status, 200) << response.Describe();
    EXPECT_EQ(JsonInt(doc, "status_code"), 0) << response.Describe();
    EXPECT_EQ(JsonString(doc, "status_msg"), "ok") << response.Describe();
    EXPECT_TRUE(JsonInt(doc, "next_time").has_value()) << response.Describe();
    const rapidjson::Value* list = JsonAt(doc, "video_list");
    if (list == nullptr || !list->IsArray()) {
      ADD_FAILURE() << "video_list is not an array: " << response.Describe();
      return videos;
    }
    EXPECT_LE(list->Size(), kPageSize);
    for (const rapidjson::Value& video : list->GetArray()) videos.push_back(&video);
    return videos;
  }

  static std::vector<std::string> Titles(const std::vector<const rapidjson::Value*>& videos) {
    std::vector<std::string> titles;
    for (const rapidjson::Value* video : videos) {
      titles.push_back(JsonString(*video, "title").value_or("?"));
    }
    return titles;
  }

  std::vector<std::string> FeedTitles(const Pairs& query) {
    const HttpResponse response = Feed(query);
    const rapidjson::Document doc = response.Json();
    return Titles(FeedVideos(response, doc));
  }

  // Registers one user and publishes `titles` in order, each strictly later than the last.
  DouyinSession UserWithVideos(std::string_view name, const std::vector<std::string>& titles) {
    const DouyinSession session = RegisterDouyin(Client(), name, "password");
    for (const std::string& title : titles) {
      WaitForNextMillisecond();
      EXPECT_TRUE(PublishOk(session, MediaKind::kFaststartMp4, title));
    }
    return session;
  }
};

TEST_F(FeedTest, EmptyFeedIsOkWithAnEmptyList) {
  const HttpResponse response = Feed();
  const rapidjson::Document doc = response.Json();
  EXPECT_TRUE(FeedVideos(response, doc).empty());
}

TEST_F(FeedTest, NewestFirstWithFullVideoObjects) {
  const DouyinSession ann = RegisterDouyin(Client(), "ann", "password");
  const DouyinSession ben = RegisterDouyin(Client(), "ben", "password");
  ASSERT_GT(ben.user_id, 0);
  const std::int64_t before_first = NowMs();
  ASSERT_TRUE(PublishOk(ann, MediaKind::kFaststartMp4, "oldest"));
  const std::int64_t after_first = NowMs();
  WaitForNextMillisecond();
  ASSERT_TRUE(PublishOk(ben, MediaKind::kHdMp4, "middle"));
  WaitForNextMillisecond();
  ASSERT_TRUE(PublishOk(ann, MediaKind::kFaststartMp4, "newest"));

  // Anonymous, signed in as an author, and signed in as someone else: the same list, and
  // nothing is liked yet.
  const DouyinSession carl = RegisterDouyin(Client(), "carl", "password");
  for (const std::string& token : {std::string(), ann.token, carl.token}) {
    SCOPED_TRACE("token '" + token + "'");
    const HttpResponse response = token.empty() ? Feed() : Feed({{"token", token}});
    const rapidjson::Document doc = response.Json();
    const std::vector<const rapidjson::Value*> videos = FeedVideos(response, doc);
    ASSERT_EQ(Titles(videos), (std::vector<std::string>{"newest", "middle", "oldest"}));
    ExpectVideoObject(*videos[0], ann.user_id);
    ExpectVideoObject(*videos[1], ben.user_id);
    ExpectVideoObject(*videos[2], ann.user_id);
    EXPECT_EQ(JsonInt(*videos[0], "author.work_count"), 2);
    EXPECT_EQ(JsonString(*videos[0], "author.name"), "ann");
    EXPECT_EQ(JsonInt(*videos[1], "author.work_count"), 1);
    EXPECT_EQ(JsonString(*videos[1], "author.name"), "ben");
    // next_time is the oldest returned video's time, in milliseconds.
    const std::int64_t next_time = JsonInt(doc, "next_time").value_or(0);
    EXPECT_GE(next_time, before_first);
    EXPECT_LE(next_time, after_first);
  }
}

TEST_F(FeedTest, LatestTimeInMillisecondsShowsOnlyOlderVideos) {
  const DouyinSession dan = UserWithVideos("dan", {"before"});
  WaitForNextMillisecond();
  const std::int64_t cut = NowMs();
  WaitForNextMillisecond();
  ASSERT_TRUE(PublishOk(dan, MediaKind::kFaststartMp4, "after"));

  const HttpResponse response = Feed({{"latest_time", std::to_string(cut)}});
  const rapidjson::Document doc = response.Json();
  EXPECT_EQ(Titles(FeedVideos(response, doc)), (std::vector<std::string>{"before"}));
  EXPECT_LT(JsonInt(doc, "next_time").value_or(cut), cut);
}

// Clients send seconds as often as milliseconds; anything below 1e11 is read as seconds.
TEST_F(FeedTest, LatestTimeInSecondsMeansTheSameInstant) {
  UserWithVideos("eve", {"one", "two"});
  const std::int64_t future_s = UnixNow() + 3600;
  const std::int64_t past_s = UnixNow() - 3600;
  const std::vector<std::string> all = {"two", "one"};
  EXPECT_EQ(FeedTitles({{"latest_time", std::to_string(future_s)}}), all);
  EXPECT_EQ(FeedTitles({{"latest_time", std::to_string(future_s * 1000)}}), all);
  EXPECT_TRUE(FeedTitles({{"latest_time", std::to_string(past_s)}}).empty());
  EXPECT_TRUE(FeedTitles({{"latest_time", std::to_string(past_s * 1000)}}).empty());
}

TEST_F(FeedTest, ZeroOrAbsentLatestTimeMeansNow) {
  UserWithVideos("fay", {"one", "two"});
  const std::vector<std::string> all = {"two", "one"};
  EXPECT_EQ(FeedTitles({}), all);
  EXPECT_EQ(FeedTitles({{"latest_time", "0"}}), all);
}

TEST_F(FeedTest, InvalidTokenStillServesTheAnonymousFeed) {
  const DouyinSession gus = UserWithVideos("gus", {"visible"});
  for (const char* token : {"garbage", "a.b.c"}) {
    SCOPED_TRACE(token);
    const HttpResponse response = Feed({{"token", token}});
    const rapidjson::Document doc = response.Json();
    const std::vector<const rapidjson::Value*> videos = FeedVideos(response, doc);
    ASSERT_EQ(Titles(videos), std::vector<std::string>{"visible"});
    ExpectVideoObject(*videos[0], gus.user_id);
  }
}

TEST_F(FeedTest, NonNumericLatestTimeIsInvalid) {
  UserWithVideos("hal", {"one"});
  const HttpResponse response = Feed({{"latest_time", "abc"}});
  EXPECT_EQ(response.status, 200) << response.Describe();
  EXPECT_EQ(DouyinStatusCode(response), 400) << response.Describe();
  EXPECT_FALSE(JsonString(response.Json(), "status_msg").value_or("").empty());
}

// 100 uploads from 4 threads give many videos within the same millisecond; walking the feed
// with latest_time = next_time must still see each exactly once.
TEST_F(FeedTest, PagesThroughHundredVideosWithoutRepeatsOrGaps) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  constexpr int kMaxPages = 10;
  const fs::path clip = Media().Get(MediaKind::kFaststartMp4);
  std::vector<DouyinSession> users;
  for (int t = 0; t < kThreads; ++t) {
    users.push_back(RegisterDouyin(Client(), "pager" + std::to_string(t), "password"));
    ASSERT_GT(users.back().user_id, 0);
  }

  std::atomic<int> failures{0};
  std::mutex first_failure_mutex;
  std::string first_failure;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(Server().Port());
      for (int i = 0; i < kPerThread; ++i) {
        const HttpResponse response =
            Publish(client, {.file = clip,
                             .title = "t" + std::to_string(t) + "-" + std::to_string(i),
                             .token = users[static_cast<std::size_t>(t)].token});
        if (response.status != 200 || DouyinStatusCode(response) != 0) {
          ++failures;
          const std::lock_guard lock(first_failure_mutex);
          if (first_failure.empty()) first_failure = response.Describe();
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(failures.load(), 0) << "first failure: " << first_failure;

  std::set<std::int64_t> published;
  for (const DouyinSession& user : users) {
    const rapidjson::Document videos = Videos(user.user_id, user);
    EXPECT_EQ(videos.Size(), static_cast<rapidjson::SizeType>(kPerThread));
    for (const rapidjson::Value& video : videos.GetArray()) {
      published.insert(JsonInt(video, "id").value_or(0));
    }
  }
  ASSERT_EQ(published.size(), static_cast<std::size_t>(kThreads * kPerThread));

  std::set<std::int64_t> seen;
  std::vector<std::int64_t> repeats;
  std::optional<std::int64_t> cursor;
  bool reached_end = false;
  for (int page = 0; page < kMaxPages && !reached_end; ++page) {
    SCOPED_TRACE("page " + std::to_string(page));
    const HttpResponse response =
        cursor ? Feed({{"latest_time", std::to_string(*cursor)}}) : Feed();
    const rapidjson::Document doc = response.Json();
    const std::vector<const rapidjson::Value*> videos = FeedVideos(response, doc);
    if (videos.empty()) {
      reached_end = true;
      break;
    }
    for (const rapidjson::Value* video : videos) {
      const std::int64_t id = JsonInt(*video, "id").value_or(0);
      if (!seen.insert(id).second) repeats.push_back(id);
    }
    const std::optional<std::int64_t> next_time = JsonInt(doc, "next_time");
    ASSERT_TRUE(next_time.has_value());
    if (cursor) {
      EXPECT_LE(*next_time, *cursor) << "the cursor went forward in time";
    }
    cursor = next_time;
  }
  EXPECT_TRUE(reached_end) << "no empty page within " << kMaxPages << " pages";
  EXPECT_TRUE(repeats.empty()) << repeats.size() << " video(s) seen twice, e.g. id "
                               << (repeats.empty() ? 0 : repeats.front());
  std::vector<std::int64_t> missing;
  for (const std::int64_t id : published) {
    if (!seen.contains(id)) missing.push_back(id);
  }
  EXPECT_TRUE(missing.empty()) << missing.size() << " video(s) never shown, e.g. id "
                               << (missing.empty() ? 0 : missing.front());
  EXPECT_EQ(seen, published);
}

}  // namespace
}  // namespace reel::e2e
