#pragma once
// What the gRPC transport tests share: a temp directory per test, a real SQLite store, a
// service on a real gRPC server on 127.0.0.1 (port 0) with a client dialling it, and the
// checks that compare what arrived over the wire with what the Rpc gave in-process.

#include <arpa/inet.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kit/blob/local_blob_store.hpp"
#include "kit/clock/clock.hpp"
#include "kit/db/migrations.hpp"
#include "kit/db/sqlite.hpp"
#include "kit/events/commit_hook.hpp"
#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/grpc_server.hpp"
#include "kit/rpc/rpc_config.hpp"
#include "kit/status/status.hpp"
#include "video/api/video_rpc.hpp"
#include "video/store/sql_video_repository.hpp"
#include "video/store/video_migrations.hpp"

namespace reel::grpc_testing {

using namespace std::chrono_literals;

// A directory of its own for one test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> next{0};
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("reel_grpc_transport_" + std::to_string(getpid()) + "_" + std::to_string(next++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Path(std::string_view leaf) const { return (path_ / leaf).string(); }

 private:
  std::filesystem::path path_;
};

inline std::unique_ptr<db::SqliteDb> OpenStore(const TempDir& dir, std::string_view component,
                                               std::span<const db::Migration> migrations) {
  auto db =
      std::make_unique<db::SqliteDb>(db::SqliteOptions{dir.Path(std::string(component) + ".db")});
  EXPECT_TRUE(db::ApplyMigrations(*db, component, migrations).ok());
  return db;
}

// An address nobody listens on: a port the kernel just handed out, released again.
inline std::string DeadAddress() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool bound = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (fd >= 0) ::close(fd);
  EXPECT_TRUE(bound) << "no free port for a dead instance";
  return "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
}

// Two instances of a service: the live server, and a dead one that is picked only when a
// test says so (FailNextPick), the way round robin reaches a crashed instance.
class ScriptedChannels final : public rpc::ChannelSet {
 public:
  explicit ScriptedChannels(const std::string& live_address)
      : live_address_(live_address),
        dead_address_(DeadAddress()),
        live_(grpc::CreateChannel(live_address_, grpc::InsecureChannelCredentials())),
        dead_(grpc::CreateChannel(dead_address_, grpc::InsecureChannelCredentials())) {}

  void FailNextPick() { fail_next_ = true; }

  std::shared_ptr<grpc::Channel> Pick() override {
    return fail_next_.exchange(false) ? dead_ : live_;
  }
  std::vector<std::string> Addresses() const override { return {live_address_, dead_address_}; }

 private:
  const std::string live_address_;
  const std::string dead_address_;
  const std::shared_ptr<grpc::Channel> live_;
  const std::shared_ptr<grpc::Channel> dead_;
  std::atomic<bool> fail_next_{false};
};

// `service` on a real gRPC server on 127.0.0.1, and a client of the given type dialling it.
template <typename Client>
struct Wire {
  explicit Wire(grpc::Service& service) : server("127.0.0.1", 0, {&service}) {
    server.Start();
    config.deadline = 5s;  // generous: the machine is shared; no test here waits on it
    // The breaker is not under test here: a high K keeps the dead instance that
    // ExpectRetriedRead/ExpectUnretriedWrite pick from throttling the retry after it.
    config.breaker_k = 100;
    auto scripted =
        std::make_unique<ScriptedChannels>("127.0.0.1:" + std::to_string(server.port()));
    channels = scripted.get();
    client = std::make_unique<Client>(std::move(scripted), config, clock);
  }
  rpc::GrpcServer server;
  rpc::RpcConfig config;
  SystemClock clock;
  ScriptedChannels* channels = nullptr;  // owned by `client`
  std::unique_ptr<Client> client;
};

// `call` (a read) meets a dead instance first: the client must retry it on the live one,
// which answers (with a reply or the service's own error).
template <typename Call>
void ExpectRetriedRead(ScriptedChannels& channels, std::string_view name, Call call) {
  channels.FailNextPick();
  const auto result = call();
  EXPECT_TRUE(result.ok() || !result.status().reason.starts_with("DEPENDENCY_"))
      << name << " was not retried: " << result.status().message;
}

// `call` (a write) meets a dead instance: the client must report it, not send it again.
template <typename Call>
void ExpectUnretriedWrite(ScriptedChannels& channels, std::string_view name, Call call) {
  channels.FailNextPick();
  EXPECT_EQ(call().status().reason, "DEPENDENCY_UNAVAILABLE") << name << " was retried";
}

// The error arrived exactly as the in-process implementation produced it.
template <typename Over, typename InProcess>
void ExpectSameError(const Result<Over>& over_grpc, const Result<InProcess>& in_process,
                     std::string_view reason) {
  ASSERT_FALSE(in_process.ok());
  ASSERT_FALSE(over_grpc.ok());
  EXPECT_EQ(in_process.status().reason, reason);
  EXPECT_EQ(over_grpc.status().code, in_process.status().code);
  EXPECT_EQ(over_grpc.status().reason, in_process.status().reason);
  EXPECT_EQ(over_grpc.status().message, in_process.status().message);
}

template <typename T>
T Ok(Result<T> result) {
  EXPECT_TRUE(result.ok()) << result.status().reason << ": " << result.status().message;
  return result.ok() ? std::move(*result) : T{};
}

// A directory under `dir`, created.
inline std::string MadeDir(const TempDir& dir, std::string_view leaf) {
  std::filesystem::create_directories(dir.Path(leaf));
  return dir.Path(leaf);
}

// The real video service on its SQLite store in a temp dir, with one media object (Key())
// that videos can be made of, uploaded by users 1 to kUploaders (only an uploader may publish).
struct VideoServiceOnDisk {
  static constexpr std::int64_t kUploaders = 10;
  VideoServiceOnDisk() {
    const video::MediaObject media{Sha(), Key(), Sha() + ".jpg", 1000, 320, 240, 2000, "h264", 1};
    const video::UploadLimits limits{
        .now_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
                .count()};
    for (std::int64_t user = 1; user <= kUploaders; ++user) {
      EXPECT_TRUE(repository.RecordUpload({user, Sha(), limits.now_ms}, &media, limits).ok());
    }
  }
  static std::string Sha() { return std::string(64, 'a'); }
  static std::string Key() { return Sha() + ".mp4"; }

  TempDir dir;
  std::unique_ptr<db::SqliteDb> db = OpenStore(dir, "video", video::VideoMigrations());
  video::SqlVideoRepository repository{*db};
  blob::LocalBlobStore blobs{MadeDir(dir, "media")};
  ManualClock clock;
  events::NoCommitHook events;
  video::VideoService service{repository, blobs,
                              video::MediaSettings{1 << 20, MadeDir(dir, "work")}, clock, events};
  video::VideoRpc rpc{service};
};

}  // namespace reel::grpc_testing
