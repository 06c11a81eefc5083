#include "seed/seeder.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "comment/store/comment_migrations.hpp"
#include "favorite/store/favorite_migrations.hpp"
#include "kit/blob/local_blob_store.hpp"
#include "kit/clock/clock.hpp"
#include "kit/db/migrations.hpp"
#include "kit/db/sqlite.hpp"
#include "kit/events/commit_hook.hpp"
#include "relation/store/relation_migrations.hpp"
#include "search/search_index.hpp"
#include "user/store/user_migrations.hpp"
#include "video/domain/video_service.hpp"
#include "video/store/sql_video_repository.hpp"
#include "video/store/video_migrations.hpp"

extern char** environ;

namespace reel::bench {
namespace fs = std::filesystem;
namespace {

struct Component {
  std::string_view name;
  std::span<const db::Migration> migrations;
};

// The components `reel all` keeps in reel.db, with the names their modules give them
// (ModuleSpec::name, src/<service>/<service>_module.cpp).
std::array<Component, 5> Components() {
  return {{{"user", user::UserMigrations()},
           {"video", video::VideoMigrations()},
           {"favorite", favorite::FavoriteMigrations()},
           {"comment", comment::CommentMigrations()},
           {"relation", relation::RelationMigrations()}}};
}

/// Runs ffmpeg with `args`, its output in `log`; throws with that output when it fails or
/// takes over a minute (a 3 s clip takes well under one second).
void RunFfmpeg(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<std::string> strings = {"ffmpeg", "-nostdin", "-loglevel", "error", "-y"};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "ffmpeg", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot run ffmpeg (apt-get install ffmpeg)");

  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      throw std::runtime_error("ffmpeg took over a minute making the seed clip");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("ffmpeg failed making the seed clip; see " + log.string());
  }
}

/// A short vertical H.264/AAC clip, the shape of a phone video, small enough that serving
/// it is not what a benchmark measures.
fs::path MakeClip(const fs::path& dir) {
  const fs::path out = dir / "seed-clip.mp4";
  RunFfmpeg({"-f",       "lavfi",   "-i",        "testsrc2=size=360x640:rate=25:duration=3",
             "-f",       "lavfi",   "-i",        "sine=frequency=440:sample_rate=44100:duration=3",
             "-c:v",     "libx264", "-preset",   "veryfast",
             "-pix_fmt", "yuv420p", "-c:a",      "aac",
             "-b:a",     "64k",     "-shortest", out.string()},
            dir / "ffmpeg.log");
  return out;
}

/// Stores `clip` exactly as a publish would (the service's own ingest), returning its object.
video::MediaObject IngestClip(db::SqliteDb& db, const fs::path& data_dir, const fs::path& clip) {
  const fs::path scratch = data_dir / "tmp";
  fs::create_directories(scratch);
  // Ingest consumes its input: hand it a copy, never the caller's file.
  const fs::path upload = scratch / "seed-upload";
  fs::copy_file(clip, upload, fs::copy_options::overwrite_existing);

  video::SqlVideoRepository repository(db);
  blob::LocalBlobStore blobs((data_dir / "media").string());
  SystemClock clock;
  events::NoCommitHook events;
  video::VideoService service(repository, blobs,
                              video::MediaSettings{std::uint64_t{1} << 30, scratch.string()}, clock,
                              events);
  // Uploaded by user 0 (nobody): the seeded videos use the object, so it outlives the
  // upload's expiry.
  auto media = service.Ingest(0, upload.string());
  if (!media.ok()) throw std::runtime_error("storing the seed clip: " + media.status().message);
  return *media;
}

/// A grouped COUNT over rows against a counter column; table and column names are constants.
struct CounterCheck {
  std::string_view what;
  std::string_view grouped;  // SELECT <key> AS k, COUNT(*) AS n FROM ... GROUP BY <key>
  std::string_view table;
  std::string_view key;
  std::string_view counter;
};

constexpr std::array<CounterCheck, 7> kCounterChecks = {{
    {"author_video_counts.video_count",
     "SELECT author_id AS k, COUNT(*) AS n FROM videos GROUP BY author_id", "author_video_counts",
     "author_id", "video_count"},
    {"video_favorite_counts.favorite_count",
     "SELECT video_id AS k, COUNT(*) AS n FROM favorites GROUP BY video_id",
     "video_favorite_counts", "video_id", "favorite_count"},
    {"user_favorite_counts.favorite_count",
     "SELECT user_id AS k, COUNT(*) AS n FROM favorites GROUP BY user_id", "user_favorite_counts",
     "user_id", "favorite_count"},
    {"user_favorite_counts.total_favorited",
     "SELECT author_id AS k, COUNT(*) AS n FROM favorites GROUP BY author_id",
     "user_favorite_counts", "user_id", "total_favorited"},
    {"video_comment_counts.comment_count",
     "SELECT video_id AS k, COUNT(*) AS n FROM comments GROUP BY video_id", "video_comment_counts",
     "video_id", "comment_count"},
    {"follow_counts.follow_count",
     "SELECT follower_id AS k, COUNT(*) AS n FROM follows GROUP BY follower_id", "follow_counts",
     "user_id", "follow_count"},
    {"follow_counts.follower_count",
     "SELECT followee_id AS k, COUNT(*) AS n FROM follows GROUP BY followee_id", "follow_counts",
     "user_id", "follower_count"},
}};

}  // namespace

void ApplySchemas(db::SqliteDb& db) {
  for (const Component& c : Components()) {
    if (Status s = db::ApplyMigrations(db, c.name, c.migrations); !s.ok()) {
      throw std::runtime_error("migrating " + std::string(c.name) + ": " + s.message);
    }
  }
}

bool SchemasCurrent(db::SqliteDb& db) {
  for (const Component& c : Components()) {
    if (db::CurrentVersion(db, c.name) != c.migrations.back().version) return false;
  }
  return true;
}

std::vector<std::string> CounterMismatches(db::Connection& conn) {
  std::vector<std::string> out;
  for (const CounterCheck& c : kCounterChecks) {
    const std::string table(c.table);
    const std::string key(c.key);
    const std::string counter(c.counter);
    const std::string grouped(c.grouped);
    const std::string sql = "SELECT (SELECT COUNT(*) FROM (" + grouped + ") g LEFT JOIN " + table +
                            " t ON t." + key + " = g.k WHERE IFNULL(t." + counter +
                            ", 0) != g.n) + (SELECT COUNT(*) FROM " + table + " t LEFT JOIN (" +
                            grouped + ") g ON g.k = t." + key + " WHERE t." + counter +
                            " != IFNULL(g.n, 0))";
    auto stmt = conn.Prepare(sql);
    stmt.Step();
    if (const std::int64_t bad = stmt.Int(0); bad != 0) {
      out.push_back(std::string(c.what) + ": " + std::to_string(bad) + " mismatched rows");
    }
  }
  return out;
}

void CreateEmptySearchIndex(const std::string& data_dir) {
  search::SearchIndex index((fs::path(data_dir) / "search").string());
}

SeedOutcome SeedDataDir(const SeedRequest& request, Progress& progress) {
  const fs::path data_dir(request.data_dir);
  const fs::path db_path = data_dir / "reel.db";
  if (fs::exists(db_path)) {
    throw std::runtime_error(db_path.string() + " exists: seed an empty data directory");
  }
  fs::create_directories(data_dir);

  SeedOutcome outcome;
  {
    db::SqliteDb db(
        db::SqliteOptions{db_path.string(), std::chrono::milliseconds(5000), 1, "normal"});
    ApplySchemas(db);
    fs::create_directories(data_dir / "tmp");
    const fs::path clip =
        request.clip.empty() ? MakeClip(data_dir / "tmp") : fs::path(request.clip);
    const video::MediaObject media = IngestClip(db, data_dir, clip);
    outcome.media_key = media.key;
    outcome.cover_key = media.cover_key;
  }

  auth::InitCrypto();
  const std::string hash = auth::PasswordHasher(request.argon2).Hash(request.password);

  db::SqliteConnection conn(db_path.string(), std::chrono::milliseconds(5000), /*read_only=*/false);
  // Nothing reads the database during the load and a failed load is thrown away, so
  // neither a journal nor fsync buys anything here.
  conn.Exec("PRAGMA journal_mode=OFF");
  conn.Exec("PRAGMA synchronous=OFF");
  conn.Exec("PRAGMA locking_mode=EXCLUSIVE");
  conn.Exec("PRAGMA temp_store=MEMORY");
  conn.Exec("PRAGMA cache_size=-524288");  // 512 MiB: the index rebuild sorts in memory
  outcome.facts = LoadRows(conn, request.plan, hash, outcome.media_key, progress);
  // Back to what the server expects; the mode is stored in the file.
  conn.Exec("PRAGMA journal_mode=WAL");
  return outcome;
}

}  // namespace reel::bench
