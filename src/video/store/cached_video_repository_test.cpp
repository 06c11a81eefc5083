#include "video/store/cached_video_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "kit/db/testing/test_database.hpp"
#include "video/store/sql_video_repository.hpp"
#include "video/store/video_migrations.hpp"

namespace reel::video {
namespace {

// Runs on every engine (db::testing::AllEngines), as the store under it does.
class CachedVideoRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_cached_video");
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "video",
                                                            VideoMigrations());
    db_ = &database_->db();
    store_ = std::make_unique<SqlVideoRepository>(*db_);
    cached_ = std::make_unique<CachedVideoRepository>(*store_, 1000);
    // Authors 1..3 uploaded the object; user 99's upload stays pending (nothing expires at
    // cutoff 0), so deleting every video never removes it.
    const MediaObject media{kSha, kSha + ".mp4", kSha + ".jpg", 1000, 320, 240, 2000, "h264", 1};
    for (std::int64_t user : {1, 2, 3, 99}) {
      ASSERT_TRUE(store_->RecordUpload({user, kSha, 1}, &media, UploadLimits{.now_ms = 1}).ok());
    }
  }
  void TearDown() override {
    cached_.reset();
    store_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  Video Publish(std::int64_t author, std::int64_t at_ms, std::vector<std::string> tags = {}) {
    auto v = cached_->CreateVideo(
        NewVideo{author, "t" + std::to_string(at_ms), "", kSha + ".mp4", at_ms, std::move(tags)},
        0);
    EXPECT_TRUE(v.ok()) << v.status().message;
    return *v;
  }
  static std::vector<std::int64_t> Ids(const std::vector<Video>& videos) {
    std::vector<std::int64_t> ids;
    for (const Video& v : videos) ids.push_back(v.id);
    return ids;
  }
  // Every first and later page, of everyone and of each author, read through the cache
  // equals the store's own answer.
  void ExpectListsMatchTheStore(const std::vector<std::int64_t>& times) {
    for (std::int64_t author : {0, 1, 2, 3}) {
      for (int limit : {1, 7, 30, 31, CachedVideoRepository::kNewestDepth,
                        CachedVideoRepository::kNewestDepth + 1, 101}) {
        std::vector<std::int64_t> bounds = {0};
        for (std::size_t i = 0; i < times.size(); i += 13) bounds.push_back(times[i]);
        bounds.push_back(times.back() + 1);
        for (std::int64_t before : bounds) {
          ASSERT_EQ(Ids(cached_->List({author, before, limit})),
                    Ids(store_->List({author, before, limit})))
              << "author " << author << " before " << before << " limit " << limit;
        }
      }
    }
  }
  void RenameBehindTheCache(std::int64_t video_id, const std::string& title) {
    db_->Write([&](db::Connection& conn) {
      conn.Prepare("UPDATE videos SET title = ? WHERE id = ?").BindAll(title, video_id).Run();
    });
  }

  const std::string kSha = "ab" + std::string(62, '0');
  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlVideoRepository> store_;
  std::unique_ptr<CachedVideoRepository> cached_;
};

TEST_P(CachedVideoRepositoryTest, VideosAndFirstPagesAreServedFromMemoryOnceRead) {
  const Video v = Publish(1, 10);
  const std::int64_t ids[] = {v.id};
  ASSERT_EQ(cached_->FindByIds(ids).at(0).title, "t10");
  ASSERT_EQ(cached_->List({0, 0, 30}).at(0).title, "t10");
  ASSERT_EQ(cached_->List({1, 0, 30}).at(0).title, "t10");
  RenameBehindTheCache(v.id, "changed");
  EXPECT_EQ(cached_->FindByIds(ids).at(0).title, "t10");
  EXPECT_EQ(cached_->List({0, 0, 30}).at(0).title, "t10");
  EXPECT_EQ(cached_->List({1, 0, 30}).at(0).title, "t10");
  EXPECT_EQ(store_->FindByIds(ids).at(0).title, "changed");
}

TEST_P(CachedVideoRepositoryTest, EveryPageEqualsTheStoresThroughPublishEditAndDelete) {
  std::vector<std::int64_t> times;
  std::vector<Video> published;
  for (int i = 0; i < 150; ++i) {
    // Author 1 is prolific, 2 has a few, 3 has none until later.
    published.push_back(Publish(i % 10 == 0 ? 2 : 1, 1000 + 10 * i));
    times.push_back(published.back().created_at_ms);
    if (i == 40 || i == 120) ExpectListsMatchTheStore(times);
  }
  ExpectListsMatchTheStore(times);

  // Deletes near the top and deep down, an edit, and a new author's first video.
  for (std::size_t i : {149u, 148u, 100u, 3u}) {
    ASSERT_TRUE(cached_->DeleteVideo(published[i].id, published[i].author_id, 0).ok());
  }
  ASSERT_TRUE(
      cached_
          ->UpdateVideo(published[147].id, published[147].author_id, VideoEdit{.title = "edited"})
          .ok());
  times.push_back(Publish(3, 5000).created_at_ms);
  ExpectListsMatchTheStore(times);
  EXPECT_EQ(cached_->List({0, 0, 30}).at(1).title, "edited");
  EXPECT_EQ(cached_->List({3, 0, 30}).size(), 1u);
}

TEST_P(CachedVideoRepositoryTest, WritesShowInFindByIdsAndWorkCounts) {
  const std::int64_t next_id[] = {1};
  EXPECT_TRUE(cached_->FindByIds(next_id).empty()) << "cached as absent";
  const std::int64_t authors[] = {1, 2};
  EXPECT_TRUE(cached_->CountByAuthors(authors).empty());

  const Video first = Publish(1, 10, {"cat"});
  ASSERT_EQ(first.id, 1);
  ASSERT_EQ(cached_->FindByIds(next_id).size(), 1u) << "creating invalidated the absent entry";
  Publish(1, 20);
  Publish(2, 30);
  EXPECT_EQ(cached_->CountByAuthors(authors),
            (std::unordered_map<std::int64_t, WorkCount>{{1, {2, 2}}, {2, {1, 1}}}));

  ASSERT_TRUE(
      cached_->UpdateVideo(first.id, 1, VideoEdit{.tags = std::vector<std::string>{"dog"}}).ok());
  EXPECT_EQ(cached_->FindByIds(next_id).at(0).tags, std::vector<std::string>{"dog"});

  EXPECT_EQ(cached_->DeleteVideo(first.id, 2, 0).status().reason, "VIDEO_NOT_YOURS")
      << "not the author: nothing changes";
  EXPECT_EQ(cached_->FindByIds(next_id).size(), 1u);
  ASSERT_TRUE(cached_->DeleteVideo(first.id, 1, 0).ok());
  EXPECT_TRUE(cached_->FindByIds(next_id).empty());
  EXPECT_EQ(cached_->CountByAuthors(authors).at(1).all, 1);
}

TEST_P(CachedVideoRepositoryTest, ConcurrentPublishersDeletersAndReadersLeaveNothingStale) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      const std::int64_t authors[] = {1, 2, 3};
      std::vector<std::int64_t> ids;
      for (std::int64_t id = 1; id <= 200; ++id) ids.push_back(id);
      while (!stop) {
        cached_->List({0, 0, 30});
        cached_->List({static_cast<std::int64_t>(1 + (ids.size() % 3)), 0, 30});
        cached_->CountByAuthors(authors);
        cached_->FindByIds(ids);
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(w);
      std::vector<Video> mine;
      for (int i = 0; i < 60; ++i) {
        if (!mine.empty() && rng() % 3 == 0) {
          ASSERT_TRUE(cached_->DeleteVideo(mine.back().id, mine.back().author_id, 0).ok());
          mine.pop_back();
        } else {
          mine.push_back(Publish(1 + w, 100));
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  for (auto& t : readers) t.join();

  for (std::int64_t author : {0, 1, 2, 3}) {
    EXPECT_EQ(Ids(cached_->List({author, 0, 30})), Ids(store_->List({author, 0, 30}))) << author;
  }
  const std::int64_t authors[] = {1, 2, 3};
  EXPECT_EQ(cached_->CountByAuthors(authors), store_->CountByAuthors(authors));
  std::vector<std::int64_t> ids;
  for (std::int64_t id = 1; id <= 200; ++id) ids.push_back(id);
  EXPECT_EQ(cached_->FindByIds(ids).size(), store_->FindByIds(ids).size());
}

INSTANTIATE_TEST_SUITE_P(Engines, CachedVideoRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::video
