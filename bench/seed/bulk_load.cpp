#include "seed/bulk_load.hpp"

#include <algorithm>
#include <array>

#include "seed/batch_insert.hpp"
#include "seed/random.hpp"
#include "seed/sampling.hpp"
#include "seed/text_gen.hpp"

namespace reel::bench {
namespace {

constexpr std::int64_t kYearMs = 365LL * 24 * 3600 * 1000;
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// Independent random streams per stage (see Random).
enum Stream : std::uint64_t { kUsers = 1, kVideos, kLikes, kComments, kFollows };

// Tables the load fills; their secondary indexes are rebuilt at the end.
constexpr std::array<std::string_view, 10> kLoadedTables = {"users",
                                                            "videos",
                                                            "video_tags",
                                                            "favorites",
                                                            "video_favorite_counts",
                                                            "user_favorite_counts",
                                                            "comments",
                                                            "video_comment_counts",
                                                            "follows",
                                                            "follow_counts"};

// Indexes in the order the loader inserts (by user, then id): kept during the load, since
// appending to them is cheaper than sorting millions of keys afterwards.
constexpr std::array<std::string_view, 2> kInsertOrderIndexes = {"favorites_by_user",
                                                                 "follows_by_follower"};

/// Drops the explicit indexes of the loaded tables, remembering their CREATE statements.
/// UNIQUE and PRIMARY KEY indexes (no SQL of their own) stay: the loader inserts in their
/// order, so they only ever grow at the end; so do kInsertOrderIndexes.
class DeferredIndexes {
 public:
  explicit DeferredIndexes(db::Connection& conn) : conn_(conn) {
    for (std::string_view table : kLoadedTables) {
      auto stmt = conn_.Prepare(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS "
          "NOT NULL ORDER BY name");
      stmt.Bind(1, table);
      while (stmt.Step()) {
        std::string name = stmt.Text(0);
        if (std::find(kInsertOrderIndexes.begin(), kInsertOrderIndexes.end(), name) ==
            kInsertOrderIndexes.end()) {
          indexes_.emplace_back(std::move(name), stmt.Text(1));
        }
      }
    }
    for (const auto& [name, sql] : indexes_) conn_.Exec("DROP INDEX \"" + name + "\"");
  }

  void Rebuild(Progress& progress) {
    progress.Begin("indexes", static_cast<std::int64_t>(indexes_.size()));
    std::int64_t done = 0;
    for (const auto& [name, sql] : indexes_) {
      conn_.Exec(sql);
      progress.Update(++done);
    }
    progress.End(done);
  }

 private:
  db::Connection& conn_;
  std::vector<std::pair<std::string, std::string>> indexes_;
};

class Loader {
 public:
  Loader(db::Connection& conn, const SeedPlan& plan, Progress& progress)
      : conn_(conn),
        plan_(plan),
        progress_(progress),
        likers_(plan.users - plan.action_users),
        authors_(static_cast<std::size_t>(plan.videos) + 1, 0),
        video_at_(static_cast<std::size_t>(plan.videos) + 1, 0),
        video_likes_(static_cast<std::size_t>(plan.videos) + 1, 0),
        video_comments_(static_cast<std::size_t>(plan.videos) + 1, 0),
        likes_given_(static_cast<std::size_t>(plan.users) + 1, 0),
        likes_received_(static_cast<std::size_t>(plan.users) + 1, 0),
        works_(static_cast<std::size_t>(plan.users) + 1, 0),
        following_(static_cast<std::size_t>(plan.users) + 1, 0),
        followers_(static_cast<std::size_t>(plan.users) + 1, 0) {}

  SeedFacts Run(std::string_view password_hash, std::string_view media_key) {
    DeferredIndexes indexes(conn_);
    Users(password_hash);
    Videos(media_key);
    Likes();
    Comments();
    Follows();
    Counters();
    indexes.Rebuild(progress_);
    return Facts();
  }

 private:
  /// Runs one stage of the load in its own transaction. With the journal off a large
  /// transaction costs nothing extra, and fewer commits mean fewer page writes.
  template <typename Fn>
  void Stage(const std::string& name, std::int64_t total, Fn&& fn) {
    progress_.Begin(name, total);
    StageTransaction transaction(conn_);
    const std::int64_t rows = fn();
    transaction.Commit();
    facts_.stage_seconds.emplace_back(name, progress_.End(rows));
  }

  void Users(std::string_view password_hash) {
    Stage("users", plan_.users, [&] {
      Random random(plan_.seed, kUsers);
      TextGen text(random);
      BatchInsert insert(
          conn_, "INSERT INTO users (id, name, password_hash, signature, created_at_ms)", 5);
      const std::int64_t first_ms = plan_.now_ms - 2 * kYearMs;
      const std::int64_t step = std::max<std::int64_t>(1, kYearMs / plan_.users);
      for (std::int64_t id = 1; id <= plan_.users; ++id) {
        insert.Add(id, SeedUserName(id), std::string(password_hash), text.Signature(),
                   first_ms + id * step);
        progress_.Update(id);
      }
      insert.Finish();
      return insert.rows();
    });
  }

  void Videos(std::string_view media_key) {
    Stage("videos", plan_.videos, [&] {
      Random random(plan_.seed, kVideos);
      TextGen text(random);
      BatchInsert videos(conn_,
                         "INSERT INTO videos (id, author_id, title, description, media_key, "
                         "created_at_ms)",
                         6);
      BatchInsert tags(conn_, "INSERT INTO video_tags (video_id, position, tag)", 3);
      // Unique, increasing times one step apart, ending at now: the feed's cursor is exact.
      const std::int64_t step = std::max<std::int64_t>(1, kYearMs / plan_.videos);
      // Authors are skewed towards low ids: a few prolific users, a long tail of occasional ones.
      for (std::int64_t id = 1; id <= plan_.videos; ++id) {
        const auto author =
            static_cast<std::int64_t>(random.Skewed(static_cast<std::uint64_t>(likers_), 3.0)) + 1;
        const std::int64_t at = plan_.now_ms - (plan_.videos - id) * step;
        authors_[static_cast<std::size_t>(id)] = static_cast<std::int32_t>(author);
        video_at_[static_cast<std::size_t>(id)] = at;
        ++works_[static_cast<std::size_t>(author)];
        videos.Add(id, author, text.Title(id), text.Description(), std::string(media_key), at);
        std::int64_t position = 0;
        for (std::string& tag : text.Tags()) tags.Add(id, position++, std::move(tag));
        progress_.Update(id);
      }
      videos.Finish();
      tags.Finish();
      return videos.rows();
    });
  }

  void Likes() {
    Stage("likes", plan_.likes, [&] {
      Random random(plan_.seed, kLikes);
      const Scatter popularity(static_cast<std::uint64_t>(plan_.videos), plan_.seed * 7 + 1);
      const auto counts = SpreadCounts(random, likers_, plan_.likes, plan_.videos);
      BatchInsert insert(
          conn_, "INSERT INTO favorites (id, user_id, video_id, author_id, created_at_ms)", 5);
      std::int64_t id = 0;
      // By user, then video: the UNIQUE (user_id, video_id) index only grows at its end.
      for (std::int64_t user = 1; user <= likers_; ++user) {
        const std::int64_t count = counts[static_cast<std::size_t>(user - 1)];
        if (count == 0) continue;
        for (std::int64_t video :
             DistinctPicks(random, plan_.videos, count, 2.5, popularity, /*excluded=*/0)) {
          const auto v = static_cast<std::size_t>(video);
          const std::int64_t author = authors_[v];
          ++video_likes_[v];
          ++likes_given_[static_cast<std::size_t>(user)];
          ++likes_received_[static_cast<std::size_t>(author)];
          ++id;
          insert.Add(id, user, video, author,
                     std::min(plan_.now_ms, video_at_[v] + 1 + id % kDayMs));
        }
        progress_.Update(id);
      }
      insert.Finish();
      return insert.rows();
    });
  }

  void Comments() {
    Stage("comments", plan_.comments, [&] {
      Random random(plan_.seed, kComments);
      TextGen text(random);
      const Scatter popularity(static_cast<std::uint64_t>(plan_.videos), plan_.seed * 13 + 5);
      BatchInsert insert(conn_,
                         "INSERT INTO comments (id, video_id, user_id, content, created_at_ms)", 5);
      for (std::int64_t id = 1; id <= plan_.comments; ++id) {
        const auto video = static_cast<std::int64_t>(popularity(
                               random.Skewed(static_cast<std::uint64_t>(plan_.videos), 2.0))) +
                           1;
        const auto user =
            static_cast<std::int64_t>(random.Below(static_cast<std::uint64_t>(plan_.users))) + 1;
        const auto v = static_cast<std::size_t>(video);
        ++video_comments_[v];
        insert.Add(id, video, user, text.Comment(),
                   std::min(plan_.now_ms, video_at_[v] + 1 + id % kDayMs));
        progress_.Update(id);
      }
      insert.Finish();
      return insert.rows();
    });
  }

  void Follows() {
    Stage("follows", plan_.follows, [&] {
      Random random(plan_.seed, kFollows);
      // Popular accounts are the low ids, as with authors: followers follow creators.
      const auto ranked = [](std::uint64_t rank) { return rank; };
      const auto counts = SpreadCounts(random, likers_, plan_.follows, plan_.users - 1);
      BatchInsert insert(conn_, "INSERT INTO follows (id, follower_id, followee_id, created_at_ms)",
                         4);
      const std::int64_t step =
          std::max<std::int64_t>(1, kYearMs / std::max<std::int64_t>(1, plan_.follows));
      std::int64_t id = 0;
      for (std::int64_t follower = 1; follower <= likers_; ++follower) {
        const std::int64_t count = counts[static_cast<std::size_t>(follower - 1)];
        if (count == 0) continue;
        for (std::int64_t followee :
             DistinctPicks(random, plan_.users, count, 3.0, ranked, follower)) {
          ++following_[static_cast<std::size_t>(follower)];
          ++followers_[static_cast<std::size_t>(followee)];
          ++id;
          insert.Add(id, follower, followee, plan_.now_ms - kYearMs + id * step);
        }
        progress_.Update(id);
      }
      insert.Finish();
      return insert.rows();
    });
  }

  void Counters() {
    Stage("counters", 4, [&] {
      std::int64_t rows = 0;
      {
        BatchInsert insert(conn_, "INSERT INTO video_favorite_counts (video_id, favorite_count)",
                           2);
        BatchInsert comments(conn_, "INSERT INTO video_comment_counts (video_id, comment_count)",
                             2);
        for (std::int64_t v = 1; v <= plan_.videos; ++v) {
          const auto i = static_cast<std::size_t>(v);
          if (video_likes_[i] > 0) insert.Add(v, std::int64_t{video_likes_[i]});
          if (video_comments_[i] > 0) comments.Add(v, std::int64_t{video_comments_[i]});
        }
        insert.Finish();
        comments.Finish();
        rows += insert.rows() + comments.rows();
        progress_.Update(2);
      }
      BatchInsert favorites(conn_,
                            "INSERT INTO user_favorite_counts (user_id, favorite_count, "
                            "total_favorited)",
                            3);
      BatchInsert follows(conn_,
                          "INSERT INTO follow_counts (user_id, follow_count, follower_count)", 3);
      // Every seeded video is public and approved: all of an author's are visible.
      BatchInsert works(
          conn_, "INSERT INTO author_video_counts (author_id, video_count, visible_count)", 3);
      for (std::int64_t u = 1; u <= plan_.users; ++u) {
        const auto i = static_cast<std::size_t>(u);
        if (likes_given_[i] > 0 || likes_received_[i] > 0) {
          favorites.Add(u, std::int64_t{likes_given_[i]}, std::int64_t{likes_received_[i]});
        }
        if (following_[i] > 0 || followers_[i] > 0) {
          follows.Add(u, std::int64_t{following_[i]}, std::int64_t{followers_[i]});
        }
        if (works_[i] > 0) works.Add(u, std::int64_t{works_[i]}, std::int64_t{works_[i]});
      }
      favorites.Finish();
      follows.Finish();
      works.Finish();
      progress_.Update(4);
      return rows + favorites.rows() + follows.rows() + works.rows();
    });
  }

  SeedFacts Facts() {
    auto argmax = [](const auto& values) {
      return static_cast<std::int64_t>(std::max_element(values.begin() + 1, values.end()) -
                                       values.begin());
    };
    facts_.busiest_author = argmax(works_);
    facts_.busiest_author_videos = works_[static_cast<std::size_t>(facts_.busiest_author)];
    facts_.most_liked_video = argmax(video_likes_);
    facts_.most_commented_video = argmax(video_comments_);
    facts_.most_followed_user = argmax(followers_);
    facts_.first_action_user = likers_ + 1;
    for (std::int64_t u = 1; u <= plan_.users && facts_.some_authors.size() < 200; ++u) {
      if (works_[static_cast<std::size_t>(u)] > 0) facts_.some_authors.push_back(u);
    }
    return facts_;
  }

  db::Connection& conn_;
  const SeedPlan& plan_;
  Progress& progress_;
  std::int64_t likers_;
  std::vector<std::int32_t> authors_;
  std::vector<std::int64_t> video_at_;
  std::vector<std::int32_t> video_likes_;
  std::vector<std::int32_t> video_comments_;
  std::vector<std::int32_t> likes_given_;
  std::vector<std::int32_t> likes_received_;
  std::vector<std::int32_t> works_;
  std::vector<std::int32_t> following_;
  std::vector<std::int32_t> followers_;
  SeedFacts facts_;
};

}  // namespace

std::string SeedUserName(std::int64_t id) {
  return "user" + std::to_string(id);
}

std::string PlanProblem(const SeedPlan& plan) {
  if (plan.users < 2) return "--users must be at least 2";
  if (plan.videos < 1) return "--videos must be at least 1";
  if (plan.videos > 2'000'000'000 || plan.users > 2'000'000'000) return "at most 2e9 users/videos";
  if (plan.action_users < 0 || plan.action_users >= plan.users) {
    return "--action-users must leave at least one other user";
  }
  if (plan.likes < 0 || plan.comments < 0 || plan.follows < 0) return "counts cannot be negative";
  const std::int64_t likers = plan.users - plan.action_users;
  if (plan.likes > likers * plan.videos) {
    return "--likes is more than the distinct (user, video) pairs of the non-action users (" +
           std::to_string(likers * plan.videos) + ")";
  }
  if (plan.follows > likers * (plan.users - 1)) {
    return "--follows is more than the distinct (follower, followee) pairs (" +
           std::to_string(likers * (plan.users - 1)) + ")";
  }
  return "";
}

SeedFacts LoadRows(db::Connection& conn, const SeedPlan& plan, std::string_view password_hash,
                   std::string_view media_key, Progress& progress) {
  return Loader(conn, plan, progress).Run(password_hash, media_key);
}

}  // namespace reel::bench
