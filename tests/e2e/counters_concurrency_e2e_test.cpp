// Interaction counters under concurrent requests: after many racing likes, unlikes, follows
// and unfollows, every counter the server shows must equal the size of the list it counts.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "interactions_fixture.hpp"

namespace reel::e2e {
namespace {

constexpr int kUsers = 6;
constexpr int kVideos = 3;
constexpr int kOpsPerThread = 60;
constexpr std::size_t kKeptErrors = 10;

using IdSet = std::set<std::int64_t>;

IdSet ToSet(const std::vector<std::int64_t>& ids) {
  return {ids.begin(), ids.end()};
}

// Failures seen on worker threads, reported from the main thread.
class ErrorLog {
 public:
  void Add(std::string error) {
    ++count_;
    const std::lock_guard lock(mutex_);
    if (kept_.size() < kKeptErrors) kept_.push_back(std::move(error));
  }
  int Count() const { return count_.load(); }
  std::string Kept() const {
    const std::lock_guard lock(mutex_);
    std::string out;
    for (const std::string& error : kept_) out += error + "\n";
    return out;
  }

 private:
  std::atomic<int> count_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> kept_;
};

// What one user's thread believes: only that thread acts as that user, so its view of the
// user's own likes and follows is exact.
struct UserModel {
  std::array<bool, kVideos> liked{};
  IdSet follows{};
};

// Checks one action's reply against the model's state before it: a no-op must say so, a
// change must not.
void CheckReply(const Reply& reply, bool was_noop, std::string_view noop_message,
                const std::string& what, ErrorLog& errors) {
  if (!IsOk(reply)) {
    errors.Add(what + ": " + reply.Describe());
  } else if (was_noop != (reply.Message() == noop_message)) {
    errors.Add(what + (was_noop ? ": expected \"" : ": did not expect \"") +
               std::string(noop_message) + "\": " + reply.Describe());
  }
}

class CountersConcurrencyTest : public InteractionTest {
 protected:
  std::vector<std::int64_t> AllOf(std::string_view which, std::int64_t user) {
    return AllIds(
        [&](const Page& page) {
          return which == "favorite" ? FavoriteList(Client(), user, {}, page)
                                     : RelationList(Client(), which, user, {}, page);
        },
        which == "favorite" ? "video_list" : "user_list", 100);
  }
};

TEST_F(CountersConcurrencyTest, RandomLikesAndFollowsLeaveConsistentCounters) {
  const DouyinSession author = NewUser("author");
  std::array<std::int64_t, kVideos> videos{};
  for (int v = 0; v < kVideos; ++v) {
    videos[static_cast<std::size_t>(v)] = PublishVideo(author, "clip " + std::to_string(v));
    ASSERT_GT(videos[static_cast<std::size_t>(v)], 0);
  }
  std::vector<DouyinSession> users;
  for (int u = 0; u < kUsers; ++u) {
    users.push_back(NewUser("user" + std::to_string(u)));
    ASSERT_GT(users.back().user_id, 0);
  }
  std::vector<std::int64_t> people = {author.user_id};
  for (const DouyinSession& user : users) people.push_back(user.user_id);

  std::vector<UserModel> models(kUsers);
  ErrorLog errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < kUsers; ++t) {
    threads.emplace_back([&, t] {
      const DouyinSession& me = users[static_cast<std::size_t>(t)];
      UserModel& model = models[static_cast<std::size_t>(t)];
      HttpClient client(Server().Port());
      std::mt19937 random(static_cast<std::uint32_t>(1000 + t));
      for (int op = 0; op < kOpsPerThread; ++op) {
        const bool act_on_video = random() % 2 == 0;
        const bool add = random() % 2 == 0;
        if (act_on_video) {
          const std::size_t v = random() % kVideos;
          const bool was_noop = model.liked[v] == add;
          const Reply reply = add ? Like(client, me, videos[v]) : Unlike(client, me, videos[v]);
          CheckReply(reply, was_noop, add ? "already liked" : "not liked",
                     std::string(add ? "like " : "unlike ") + std::to_string(videos[v]), errors);
          model.liked[v] = add;
        } else {
          std::int64_t target = me.user_id;
          for (int tries = 0; tries < 10 && target == me.user_id; ++tries) {
            target = people[random() % people.size()];
          }
          if (target == me.user_id) continue;
          const bool was_noop = model.follows.contains(target) == add;
          const Reply reply = add ? Follow(client, me, target) : Unfollow(client, me, target);
          CheckReply(reply, was_noop, add ? "already following" : "not following",
                     (add ? "follow " : "unfollow ") + std::to_string(target), errors);
          if (add) {
            model.follows.insert(target);
          } else {
            model.follows.erase(target);
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors.Count(), 0) << errors.Kept();

  // Videos: the feed's favorite_count is the number of users whose favorite list holds it.
  std::vector<IdSet> favorites;
  for (int u = 0; u < kUsers; ++u) {
    const DouyinSession& user = users[static_cast<std::size_t>(u)];
    const UserModel& model = models[static_cast<std::size_t>(u)];
    favorites.push_back(ToSet(AllOf("favorite", user.user_id)));
    IdSet expected;
    for (std::size_t v = 0; v < kVideos; ++v) {
      if (model.liked[v]) expected.insert(videos[v]);
    }
    EXPECT_EQ(favorites.back(), expected) << "favorite list of user " << u;
    EXPECT_EQ(UserCountsOf(user.user_id).favorite_count,
              static_cast<std::int64_t>(favorites.back().size()))
        << "user " << u;
  }
  std::int64_t likes_received = 0;
  for (std::size_t v = 0; v < kVideos; ++v) {
    std::int64_t holders = 0;
    for (const IdSet& liked : favorites) holders += liked.contains(videos[v]) ? 1 : 0;
    const VideoCounts counts = VideoCountsOf(videos[v]);
    EXPECT_EQ(counts.favorite_count, holders) << "video " << v << ": " << counts;
    likes_received += counts.favorite_count.value_or(0);
    for (int u = 0; u < kUsers; ++u) {
      const DouyinSession& user = users[static_cast<std::size_t>(u)];
      EXPECT_EQ(VideoCountsOf(videos[v], user.token).is_favorite,
                favorites[static_cast<std::size_t>(u)].contains(videos[v]))
          << "video " << v << " for user " << u;
    }
  }
  const UserCounts author_counts = UserCountsOf(author.user_id);
  EXPECT_EQ(author_counts.total_favorited, likes_received) << author_counts;
  EXPECT_EQ(author_counts.work_count, kVideos) << author_counts;

  // People: follow_count and follower_count are the sizes of their lists, and the lists are
  // what the threads did.
  for (std::size_t p = 0; p < people.size(); ++p) {
    SCOPED_TRACE("person " + std::to_string(people[p]));
    const IdSet follows = ToSet(AllOf("follow", people[p]));
    const IdSet followers = ToSet(AllOf("follower", people[p]));
    const UserCounts counts = UserCountsOf(people[p]);
    EXPECT_EQ(counts.follow_count, static_cast<std::int64_t>(follows.size())) << counts;
    EXPECT_EQ(counts.follower_count, static_cast<std::int64_t>(followers.size())) << counts;

    IdSet expected_follows;
    IdSet expected_followers;
    for (int u = 0; u < kUsers; ++u) {
      const UserModel& model = models[static_cast<std::size_t>(u)];
      if (p > 0 && static_cast<std::size_t>(u) == p - 1) expected_follows = model.follows;
      if (model.follows.contains(people[p])) {
        expected_followers.insert(users[static_cast<std::size_t>(u)].user_id);
      }
    }
    EXPECT_EQ(follows, expected_follows);
    EXPECT_EQ(followers, expected_followers);
  }
}

// The same user liking (then following) from several connections at once: exactly one request
// changes anything, the others are no-ops, and the counters move by one.
TEST_F(CountersConcurrencyTest, RacingDuplicatesCountOnce) {
  constexpr int kThreads = 6;
  constexpr int kRepeats = 10;
  const DouyinSession author = NewUser("author");
  const DouyinSession fan = NewUser("fan");
  const std::int64_t video = PublishVideo(author, "popular");
  ASSERT_GT(video, 0);

  // Runs `action` kThreads x kRepeats times at once; returns how many replies were not the
  // no-op `noop_message`, and records anything that was not status_code 0.
  const auto race = [&](const std::function<Reply(HttpClient&)>& action,
                        std::string_view noop_message) {
    std::atomic<int> changed{0};
    ErrorLog errors;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        HttpClient client(Server().Port());
        for (int i = 0; i < kRepeats; ++i) {
          const Reply reply = action(client);
          if (!IsOk(reply)) {
            errors.Add(reply.Describe());
          } else if (reply.Message() != noop_message) {
            ++changed;
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(errors.Count(), 0) << errors.Kept();
    return changed.load();
  };

  EXPECT_EQ(race([&](HttpClient& client) { return Like(client, fan, video); }, "already liked"), 1);
  EXPECT_EQ(VideoCountsOf(video).favorite_count, 1);
  EXPECT_EQ(UserCountsOf(fan.user_id).favorite_count, 1);
  EXPECT_EQ(UserCountsOf(author.user_id).total_favorited, 1);

  EXPECT_EQ(race([&](HttpClient& client) { return Follow(client, fan, author.user_id); },
                 "already following"),
            1);
  EXPECT_EQ(UserCountsOf(fan.user_id).follow_count, 1);
  EXPECT_EQ(UserCountsOf(author.user_id).follower_count, 1);

  EXPECT_EQ(race([&](HttpClient& client) { return Unlike(client, fan, video); }, "not liked"), 1);
  EXPECT_EQ(VideoCountsOf(video).favorite_count, 0);
  EXPECT_EQ(UserCountsOf(author.user_id).total_favorited, 0);
  EXPECT_EQ(race([&](HttpClient& client) { return Unfollow(client, fan, author.user_id); },
                 "not following"),
            1);
  EXPECT_EQ(UserCountsOf(author.user_id).follower_count, 0);
  EXPECT_EQ(UserCountsOf(fan.user_id).follow_count, 0);
}

}  // namespace
}  // namespace reel::e2e
