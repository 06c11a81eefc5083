// reel-seed: fills a `reel all` data directory with a benchmark dataset.
//   reel-seed --data-dir /tmp/reel-bench --videos 1M --likes 10M
// Prints a summary and writes <data_dir>/bench.json (the ids and names load scripts need).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "kit/json/json_writer.hpp"
#include "kit/log/log.hpp"
#include "seed/seeder.hpp"

extern char** environ;

namespace fs = std::filesystem;
using reel::bench::SeedFacts;
using reel::bench::SeedOutcome;
using reel::bench::SeedPlan;
using reel::bench::SeedRequest;

namespace {

/// "10000", "10k", "1M", "2.5M" → a count; throws CLI::ValidationError otherwise.
std::int64_t ParseCount(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw CLI::ValidationError("not a count: " + text);
  }
  const std::string suffix = text.substr(used);
  if (suffix == "k" || suffix == "K") {
    value *= 1e3;
  } else if (suffix == "m" || suffix == "M") {
    value *= 1e6;
  } else if (!suffix.empty()) {
    throw CLI::ValidationError("not a count: " + text + " (use a number, 10k or 1M)");
  }
  if (value < 0 || value > 1e12) throw CLI::ValidationError("out of range: " + text);
  return static_cast<std::int64_t>(value + 0.5);
}

/// `count` ids spread evenly over [1, last].
std::vector<std::int64_t> Spread(std::int64_t last, std::int64_t count) {
  std::vector<std::int64_t> ids;
  count = std::min(count, last);
  for (std::int64_t i = 0; i < count; ++i) ids.push_back(1 + i * last / count);
  return ids;
}

int RunReindex(const std::string& reel, const std::string& data_dir) {
  std::vector<std::string> args = {reel, "reindex", "--data-dir", data_dir};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, reel.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return 127;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

void WriteBenchJson(const fs::path& path, const SeedRequest& request, const SeedOutcome& outcome,
                    std::int64_t login_users, bool indexed, double seconds) {
  const SeedPlan& plan = request.plan;
  const SeedFacts& facts = outcome.facts;
  reel::json::JsonWriter w;
  w.BeginObject();
  w.Field("seed", static_cast<std::int64_t>(plan.seed));
  w.Field("users", plan.users).Field("videos", plan.videos).Field("likes", plan.likes);
  w.Field("comments", plan.comments).Field("follows", plan.follows);
  w.Field("password", request.password).Field("user_name_prefix", "user");
  // Users with likes and follows: the logged-in scenarios sign in as these.
  w.BeginArray("login_users");
  for (std::int64_t id : Spread(facts.first_action_user - 1, login_users)) w.Value(id);
  w.EndArray();
  // Users who like nobody: every like the favorite scenario makes as them is a new row.
  w.Field("first_action_user", facts.first_action_user).Field("last_action_user", plan.users);
  w.BeginArray("authors");
  for (std::int64_t id : facts.some_authors) w.Value(id);
  w.EndArray();
  w.Field("busiest_author", facts.busiest_author);
  w.Field("busiest_author_videos", facts.busiest_author_videos);
  w.Field("most_liked_video", facts.most_liked_video);
  w.Field("most_commented_video", facts.most_commented_video);
  w.Field("most_followed_user", facts.most_followed_user);
  w.Field("newest_video_ms", plan.now_ms);
  w.Field("media_key", outcome.media_key);
  w.Field("search_index", indexed ? "built" : "empty");
  w.Field("seconds", seconds);
  w.BeginObject("stage_seconds");
  for (const auto& [stage, s] : facts.stage_seconds) w.Field(stage, s);
  w.EndObject();
  w.EndObject();
  std::ofstream(path) << w.Take() << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Fill a `reel all` data directory with a benchmark dataset"};
  SeedRequest request;
  std::string users = "100k", videos = "10k", likes = "10M", comments = "1M", follows = "1M";
  std::int64_t login_users = 200;
  bool force = false, index = false, verify = false;
  std::string reel = (fs::path(argv[0]).parent_path() / ".." / "reel").string();
  app.add_option("--data-dir", request.data_dir, "Data directory to create (reel all --data-dir)")
      ->required();
  app.add_option("--users", users, "Users (100k; accepts k and M)")->capture_default_str();
  app.add_option("--videos", videos, "Videos (10k or 1M)")->capture_default_str();
  app.add_option("--likes", likes, "Likes: distinct (user, video) pairs")->capture_default_str();
  app.add_option("--comments", comments, "Comments")->capture_default_str();
  app.add_option("--follows", follows, "Follows: distinct pairs")->capture_default_str();
  app.add_option("--action-users", request.plan.action_users,
                 "Last N users that like and follow nobody (the favorite scenario's)")
      ->capture_default_str();
  app.add_option("--login-users", login_users, "User ids listed in bench.json for sign-in")
      ->capture_default_str();
  app.add_option("--seed", request.plan.seed, "Random seed: same seed, same rows")
      ->capture_default_str();
  app.add_option("--now-ms", request.plan.now_ms,
                 "created_at of the newest video (default: now; fix it for byte-identical runs)");
  app.add_option("--clip", request.clip, "Video file to use (default: a 3 s clip made by ffmpeg)");
  app.add_option("--password", request.password, "Every user's password")->capture_default_str();
  app.add_flag("--force", force, "Replace an existing dataset in --data-dir (media are kept)");
  app.add_flag("--index", index, "Build the search index (reel reindex; slow at 1M videos)");
  app.add_option("--reel", reel, "The reel binary, for --index")->capture_default_str();
  app.add_flag("--verify", verify, "Check every counter against COUNT(*) of its rows at the end");
  CLI11_PARSE(app, argc, argv);

  try {
    request.plan.users = ParseCount(users);
    request.plan.videos = ParseCount(videos);
    request.plan.likes = ParseCount(likes);
    request.plan.comments = ParseCount(comments);
    request.plan.follows = ParseCount(follows);
  } catch (const CLI::ValidationError& e) {
    std::cerr << "reel-seed: " << e.what() << "\n";
    return 2;
  }
  if (request.plan.now_ms == 0) {
    request.plan.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  }
  if (std::string problem = reel::bench::PlanProblem(request.plan); !problem.empty()) {
    std::cerr << "reel-seed: " << problem << "\n";
    return 2;
  }

  const fs::path data_dir(request.data_dir);
  if (force) {
    for (const char* leaf : {"reel.db", "reel.db-wal", "reel.db-shm", "bench.json"}) {
      fs::remove(data_dir / leaf);
    }
    fs::remove_all(data_dir / "search");
  }

  // The migrations' and the ingest's info lines would only interleave with the progress.
  reel::log::Setup(reel::log::LogConfig{"warn", "text"});
  const auto started = std::chrono::steady_clock::now();
  reel::bench::Progress progress(stderr, isatty(fileno(stderr)) != 0);
  SeedOutcome outcome;
  try {
    outcome = reel::bench::SeedDataDir(request, progress);
    if (index) {
      std::cerr << "search: reel reindex (every video and user)\n";
      if (int rc = RunReindex(reel, request.data_dir); rc != 0) {
        std::cerr << "reel-seed: " << reel << " reindex failed (exit " << rc << ")\n";
        return 1;
      }
    } else {
      reel::bench::CreateEmptySearchIndex(request.data_dir);
    }
    if (verify) {
      reel::db::SqliteConnection conn((data_dir / "reel.db").string(), std::chrono::seconds(5), true);
      const auto bad = reel::bench::CounterMismatches(conn);
      for (const auto& line : bad) std::cerr << "reel-seed: counter mismatch: " << line << "\n";
      if (!bad.empty()) return 1;
      std::cerr << "verify: every counter equals its rows\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "\nreel-seed: " << e.what() << "\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  WriteBenchJson(data_dir / "bench.json", request, outcome, login_users, index, seconds);

  const SeedFacts& f = outcome.facts;
  std::printf(
      "seeded %s in %.1f s: %lld users, %lld videos, %lld likes, %lld comments, %lld follows\n",
      request.data_dir.c_str(), seconds, static_cast<long long>(request.plan.users),
      static_cast<long long>(request.plan.videos), static_cast<long long>(request.plan.likes),
      static_cast<long long>(request.plan.comments), static_cast<long long>(request.plan.follows));
  std::printf("sign in as user<id> / %s; users %lld..%lld like nobody (favorite scenario)\n",
              request.password.c_str(), static_cast<long long>(f.first_action_user),
              static_cast<long long>(request.plan.users));
  std::printf(
      "busiest author %lld (%lld videos), most liked video %lld, most commented video %lld\n",
      static_cast<long long>(f.busiest_author), static_cast<long long>(f.busiest_author_videos),
      static_cast<long long>(f.most_liked_video), static_cast<long long>(f.most_commented_video));
  std::printf("search index: %s\n", index ? "built" : "empty (run `reel reindex` to fill it)");
  std::printf("details: %s\n", (data_dir / "bench.json").c_str());
  return 0;
}
