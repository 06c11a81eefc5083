#include "user/store/cached_user_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "kit/db/testing/test_database.hpp"
#include "user/store/sql_user_repository.hpp"
#include "user/store/user_migrations.hpp"

namespace reel::user {
namespace {

class CachedUserRepositoryTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_cached_user");
    test_db_ = std::make_unique<db::testing::TestDatabase>(GetParam(), dir_.string(), "user",
                                                           UserMigrations());
    db_ = &test_db_->db();
    store_ = std::make_unique<SqlUserRepository>(*db_);
    cached_ = std::make_unique<CachedUserRepository>(*store_, 1000);
  }
  void TearDown() override {
    cached_.reset();
    store_.reset();
    test_db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::int64_t Create(const std::string& name) {
    auto id = cached_->Create(name, "hash", 1000);
    EXPECT_TRUE(id.ok()) << id.status().message;
    return id.ok() ? *id : 0;
  }
  // Users read through FindByIds, by id.
  std::map<std::int64_t, User> Many(std::span<const std::int64_t> ids) {
    std::map<std::int64_t, User> by_id;
    for (User& user : cached_->FindByIds(ids)) by_id.emplace(user.id, std::move(user));
    return by_id;
  }
  // Changes a profile behind the cache's back, as no real writer may.
  void DamageSignature(std::int64_t id, const std::string& signature) {
    db_->Write([&](db::Connection& conn) {
      conn.Prepare("UPDATE users SET signature = ? WHERE id = ?").BindAll(signature, id).Run();
    });
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::testing::TestDatabase> test_db_;
  db::Database* db_ = nullptr;
  std::unique_ptr<SqlUserRepository> store_;
  std::unique_ptr<CachedUserRepository> cached_;
};

TEST_P(CachedUserRepositoryTest, ProfilesAreServedFromMemoryOnceRead) {
  const std::int64_t alice = Create("alice"), bob = Create("bob");
  ASSERT_TRUE(cached_->FindById(alice));
  const std::int64_t ids[] = {bob};
  ASSERT_EQ(Many(ids).size(), 1u);

  DamageSignature(alice, "behind");
  DamageSignature(bob, "behind");
  EXPECT_EQ(cached_->FindById(alice)->signature, "") << "read from the cache, not the store";
  EXPECT_EQ(Many(ids).at(bob).signature, "");
  const std::int64_t both[] = {alice, bob};
  EXPECT_EQ(Many(both).at(alice).signature, "") << "FindById filled the cache FindByIds reads";
  EXPECT_EQ(store_->FindById(alice)->signature, "behind");
}

TEST_P(CachedUserRepositoryTest, CreateShowsTheNewUserThatWasCachedAsAbsent) {
  const std::int64_t first = Create("alice");
  // Ids increase, so the next user gets first + 1: cache it as absent both ways.
  EXPECT_FALSE(cached_->FindById(first + 1));
  const std::int64_t ids[] = {first, first + 1, first + 2};
  EXPECT_EQ(Many(ids).size(), 1u);

  const std::int64_t second = Create("bob");
  ASSERT_EQ(second, first + 1);
  ASSERT_TRUE(cached_->FindById(second));
  EXPECT_EQ(cached_->FindById(second)->name, "bob");
  const auto found = Many(ids);
  EXPECT_EQ(found.size(), 2u);
  EXPECT_TRUE(found.contains(second));

  EXPECT_EQ(cached_->Create("BOB", "hash", 1).status().reason, "USERNAME_TAKEN")
      << "a taken name changes nothing";
  EXPECT_FALSE(cached_->FindById(first + 2));
}

TEST_P(CachedUserRepositoryTest, UpdateProfileRefreshesOnlyThatUser) {
  const std::int64_t alice = Create("alice"), bob = Create("bob");
  const std::int64_t ids[] = {alice, bob};
  ASSERT_EQ(Many(ids).size(), 2u);

  DamageSignature(bob, "behind");  // shows whether bob's entry was left alone
  auto updated = cached_->UpdateProfile(alice, {.name = "alicia", .signature = "hi"});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(cached_->FindById(alice)->name, "alicia");
  auto found = Many(ids);
  EXPECT_EQ(found.at(alice).signature, "hi");
  EXPECT_EQ(found.at(bob).signature, "") << "bob's cached profile was not invalidated";

  // A refused update changes nothing, and the cache still shows what is stored.
  auto taken = cached_->UpdateProfile(alice, {.name = "BOB", .signature = "x"});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().reason, "USERNAME_TAKEN");
  EXPECT_EQ(cached_->FindById(alice)->name, "alicia");
  EXPECT_EQ(cached_->FindById(alice)->signature, "hi");
  EXPECT_EQ(cached_->UpdateProfile(bob + 100, {.signature = "x"}).status().reason,
            "USER_NOT_FOUND");
  EXPECT_FALSE(cached_->FindById(bob + 100));
}

TEST_P(CachedUserRepositoryTest, FindByIdsMixesCachedAndLoadedUsersAndSkipsMissing) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(Create("u" + std::to_string(i)));
  const std::int64_t half[] = {ids[0], ids[2], ids[4], 999'999};
  EXPECT_EQ(Many(half).size(), 3u);
  ids.push_back(999'999);
  ids.push_back(ids[1]);  // duplicates are fine
  const auto found = Many(ids);
  EXPECT_EQ(found.size(), 40u);
  EXPECT_EQ(found.at(ids[7]).name, "u7");
  EXPECT_TRUE(cached_->FindByIds({}).empty());
  EXPECT_EQ(cached_->ListIds(0, 100).size(), 40u);
  EXPECT_EQ(cached_->FindCredentials("U3")->password_hash, "hash");
}

TEST_P(CachedUserRepositoryTest, ConcurrentWritersAndReadersLeaveNoStaleProfile) {
  // Two writers create users and rewrite signatures while two readers keep filling the cache
  // with ids that exist and ids not created yet; at the end every profile read through the
  // cache equals its row.
  constexpr int kUpdatesPerWriter = 300;
  constexpr std::int64_t kIdRange = 60;
  std::vector<std::int64_t> all;
  for (std::int64_t id = 1; id <= kIdRange; ++id) all.push_back(id);
  for (int i = 0; i < 10; ++i) Create("seed" + std::to_string(i));

  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&, r] {
      std::mt19937 rng(100 + r);
      while (!stop) {
        cached_->FindByIds(all);
        cached_->FindById(1 + static_cast<std::int64_t>(rng() % kIdRange));
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(w);
      for (int i = 0; i < kUpdatesPerWriter; ++i) {
        if (i % 15 == 0) {
          (void)cached_->Create("w" + std::to_string(w) + "_" + std::to_string(i), "h", i);
        } else {
          const std::int64_t id = 1 + static_cast<std::int64_t>(rng() % kIdRange);
          (void)cached_->UpdateProfile(
              id, {.signature = "w" + std::to_string(w) + "#" + std::to_string(i)});
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  for (auto& t : readers) t.join();

  const auto truth = db_->Read([](db::Connection& conn) {
    std::map<std::int64_t, std::pair<std::string, std::string>> rows;
    auto row = conn.Prepare("SELECT id, name, signature FROM users");
    while (row.Step()) rows[row.Int(0)] = {row.Text(1), row.Text(2)};
    return rows;
  });
  ASSERT_EQ(truth.size(), 10u + 2 * (kUpdatesPerWriter / 15));
  const auto cached = Many(all);
  for (std::int64_t id = 1; id <= kIdRange; ++id) {
    const auto row = truth.find(id);
    ASSERT_EQ(cached.contains(id), row != truth.end()) << "user " << id;
    if (row == truth.end()) continue;
    EXPECT_EQ(cached.at(id).name, row->second.first) << "user " << id;
    EXPECT_EQ(cached.at(id).signature, row->second.second) << "user " << id;
    EXPECT_EQ(cached_->FindById(id)->signature, row->second.second) << "user " << id;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, CachedUserRepositoryTest, db::testing::AllEngines(),
                         db::testing::EngineName);

}  // namespace
}  // namespace reel::user
