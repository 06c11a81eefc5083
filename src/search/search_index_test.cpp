#include "search/search_index.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace reel::search {
namespace {

namespace fs = std::filesystem;

Document Video(std::int64_t id, std::string title, std::string body = "",
               std::int64_t popularity = 0, std::int64_t created_at_ms = 0) {
  return {id, "video", std::move(title), std::move(body), {}, popularity, created_at_ms};
}

std::vector<std::int64_t> Ids(const std::vector<Hit>& hits) {
  std::vector<std::int64_t> ids;
  for (const Hit& hit : hits) ids.push_back(hit.id);
  return ids;
}

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = ::testing::TempDir() + "reel-search-XXXXXX";
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    index_ = std::make_unique<SearchIndex>((dir_ / "index").string());
  }
  void TearDown() override {
    index_.reset();
    fs::remove_all(dir_);
  }

  std::vector<std::int64_t> Find(std::string_view query, std::string_view kind = "video") {
    return Ids(index_->Search(kind, query, 0, 100));
  }

  fs::path dir_;
  std::unique_ptr<SearchIndex> index_;
};

using IdList = std::vector<std::int64_t>;

TEST_F(SearchIndexTest, ChineseWordInsideATitleIsFound) {
  index_->Put(Video(1, "一个短视频平台"));
  index_->Put(Video(2, "今天天气很好"));
  EXPECT_EQ(Find("视频"), IdList{1});
  EXPECT_EQ(Find("平台"), IdList{1});
  EXPECT_EQ(Find("短视频"), IdList{1});
  EXPECT_EQ(Find("天气"), IdList{2});
  EXPECT_TRUE(Find("音乐").empty());
}

TEST_F(SearchIndexTest, EnglishWordsMatchByStem) {
  index_->Put(Video(1, "Run fast"));
  index_->Put(Video(2, "My first video"));
  EXPECT_EQ(Find("running"), IdList{1});
  EXPECT_EQ(Find("videos"), IdList{2});
  EXPECT_EQ(Find("VIDEO"), IdList{2});
}

TEST_F(SearchIndexTest, MixedTitleIsFoundByEitherScript) {
  index_->Put(Video(1, "Go语言 tutorial"));
  index_->Put(Video(2, "Rust tutorial"));
  EXPECT_EQ(Find("语言"), IdList{1});
  EXPECT_EQ(Find("tutorials").size(), 2u);
  EXPECT_EQ(Find("语言 tutorials"), IdList{1});
  EXPECT_EQ(Find("go"), IdList{1});
}

TEST_F(SearchIndexTest, AllWordsMustMatch) {
  index_->Put(Video(1, "cooking pasta"));
  index_->Put(Video(2, "cooking rice"));
  EXPECT_EQ(Find("cooking pasta"), IdList{1});
}

TEST_F(SearchIndexTest, TagsAndBodyAreSearched) {
  index_->Put({1, "video", "Weekend", "hiking in the alps", {"mountains", "旅行"}, 0, 0});
  EXPECT_EQ(Find("hike"), IdList{1});
  EXPECT_EQ(Find("mountain"), IdList{1});
  EXPECT_EQ(Find("旅行"), IdList{1});
}

TEST_F(SearchIndexTest, BlankQueriesFindNothing) {
  index_->Put(Video(1, "anything"));
  EXPECT_TRUE(Find("").empty());
  EXPECT_TRUE(Find("   \t\n").empty());
  EXPECT_TRUE(Find("!!! ，。").empty());
}

TEST_F(SearchIndexTest, SearchIsLimitedToTheKind) {
  index_->Put(Video(1, "cat videos"));
  index_->Put({1, "user", "cat videos", "", {}, 0, 0});
  index_->Put({2, "user", "dog person", "", {}, 0, 0});
  EXPECT_EQ(Find("cat", "video"), IdList{1});
  EXPECT_EQ(Find("cat", "user"), IdList{1});
  EXPECT_EQ(index_->Count("video"), 1u);
  EXPECT_EQ(index_->Count("user"), 2u);
  EXPECT_EQ(index_->Count("other"), 0u);
}

TEST_F(SearchIndexTest, PutReplacesTheDocument) {
  index_->Put(Video(1, "old title 旧标题"));
  index_->Put(Video(1, "new title 新标题"));
  EXPECT_TRUE(Find("old").empty());
  EXPECT_TRUE(Find("旧标").empty());
  EXPECT_EQ(Find("new"), IdList{1});
  EXPECT_EQ(Find("标题"), IdList{1});
  EXPECT_EQ(index_->Count("video"), 1u);
}

TEST_F(SearchIndexTest, RemoveDeletesOnlyThatDocument) {
  index_->Put(Video(1, "cat"));
  index_->Put(Video(2, "cat"));
  index_->Put({1, "user", "cat", "", {}, 0, 0});
  index_->Remove("video", 1);
  index_->Remove("video", 99);  // absent: ignored
  EXPECT_EQ(Find("cat"), IdList{2});
  EXPECT_EQ(Find("cat", "user"), IdList{1});
  EXPECT_EQ(index_->Count("video"), 1u);
}

TEST_F(SearchIndexTest, ApplyPutsAndRemovesInOneStep) {
  index_->Put(Video(1, "cooking pasta"));
  index_->Put(Video(2, "cooking rice"));
  const Document puts[] = {Video(3, "cooking soup"), Video(4, "cooking bread")};
  const std::int64_t removes[] = {1, 99};  // 99 was never there
  index_->Apply(puts, "video", removes);
  const IdList found = Find("cook");
  EXPECT_EQ(std::set<std::int64_t>(found.begin(), found.end()), (std::set<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(index_->Count("video"), 3u);
}

TEST_F(SearchIndexTest, TitleMatchRanksAboveBodyMatch) {
  index_->Put(Video(1, "holiday", "a short clip about guitars", 1000));
  index_->Put(Video(2, "guitars", "a short clip about holiday", 0));
  EXPECT_EQ(Find("guitar"), (IdList{2, 1}));
  index_->Put(Video(3, "一起学吉他", "今天", 1000));
  index_->Put(Video(4, "今天", "一起学吉他", 0));
  EXPECT_EQ(Find("吉他"), (IdList{3, 4}));
}

TEST_F(SearchIndexTest, EqualRelevanceGoesToPopularityThenRecency) {
  index_->Put(Video(1, "cat", "", 5, 300));
  index_->Put(Video(2, "cat", "", 50, 100));
  index_->Put(Video(3, "cat", "", 5, 900));
  EXPECT_EQ(Find("cat"), (IdList{2, 3, 1}));
}

TEST_F(SearchIndexTest, PagesDoNotRepeat) {
  for (int i = 1; i <= 25; ++i) index_->Put(Video(i, "cat", "", i, 0));
  std::set<std::int64_t> seen;
  std::vector<std::int64_t> order;
  for (std::size_t offset = 0; offset < 30; offset += 10) {
    for (std::int64_t id : Ids(index_->Search("video", "cat", offset, 10))) {
      EXPECT_TRUE(seen.insert(id).second) << id;
      order.push_back(id);
    }
  }
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(order.front(), 25);
  EXPECT_EQ(order.back(), 1);
  EXPECT_EQ(index_->Search("video", "cat", 0, 0).size(), 1u);      // clamped up to 1
  EXPECT_EQ(index_->Search("video", "cat", 0, 1000).size(), 25u);  // at most 100
  EXPECT_TRUE(index_->Search("video", "cat", 25, 10).empty());
}

TEST_F(SearchIndexTest, ReopensExistingIndex) {
  index_->Put(Video(7, "persisted"));
  index_.reset();
  index_ = std::make_unique<SearchIndex>((dir_ / "index").string());
  EXPECT_EQ(Find("persisted"), IdList{7});
}

TEST_F(SearchIndexTest, SearchesRunWhileWriting) {
  constexpr int kDocs = 200;
  std::atomic<bool> done{false};
  std::atomic<int> searches{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        for (const Hit& hit : index_->Search("video", "视频 cats", 0, 20)) {
          EXPECT_GE(hit.id, 0);
          EXPECT_LT(hit.id, kDocs);
        }
        (void)index_->Count("video");
        searches.fetch_add(1);
      }
    });
  }
  std::thread writer([&] {
    for (int i = 0; i < kDocs; ++i) index_->Put(Video(i, "cats 短视频 " + std::to_string(i)));
    done.store(true);
  });
  writer.join();
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(index_->Count("video"), static_cast<std::size_t>(kDocs));
  EXPECT_EQ(index_->Search("video", "视频 cats", 0, 100).size(), 100u);
  EXPECT_GT(searches.load(), 0);
}

}  // namespace
}  // namespace reel::search
