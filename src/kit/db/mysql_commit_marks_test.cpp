// A connection lost while COMMIT is in flight: the driver finds out from the write's commit
// mark whether it was applied. A TCP proxy between the driver and the suite's MariaDB
// drops the connection at the exact moment: before the COMMIT reaches the server, or after
// the server has answered it (the answer never reaches the driver).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kit/db/mysql_db.hpp"
#include "kit/db/testing/test_database.hpp"

namespace reel::db {
namespace {

// Whether `bytes` (server → client) ends with the last OK packet of a response: an OK
// (0x00) whose status lacks SERVER_MORE_RESULTS_EXISTS.
bool EndsWithFinalOk(const std::string& bytes) {
  std::size_t at = 0;
  bool final_ok = false;
  while (at + 4 <= bytes.size()) {
    const std::size_t len = static_cast<unsigned char>(bytes[at]) |
                            static_cast<unsigned char>(bytes[at + 1]) << 8 |
                            static_cast<unsigned char>(bytes[at + 2]) << 16;
    if (at + 4 + len > bytes.size()) return false;
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at + 4);
    final_ok = false;
    if (len >= 3 && p[0] == 0x00) {
      std::size_t i = 1;
      for (int field = 0; field < 2; ++field) {  // affected rows, insert id: lenenc ints
        i += p[i] < 0xfb ? 1 : p[i] == 0xfc ? 3 : p[i] == 0xfd ? 4 : 9;
      }
      if (i + 2 <= len) final_ok = ((p[i] | p[i + 1] << 8) & 0x0008) == 0;
    }
    at += 4 + len;
  }
  return final_ok && at == bytes.size();
}

class FaultProxy {
 public:
  enum class Fault { kNone, kDropCommit, kDropCommitAnswer };

  explicit FaultProxy(int server_port) : server_port_(server_port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = Loopback(0);
    socklen_t len = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("proxy: cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    accepter_ = std::thread([this] { AcceptLoop(); });
  }
  ~FaultProxy() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    accepter_.join();
    {
      std::lock_guard lock(mutex_);
      for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : pumps_) t.join();
    for (int fd : fds_) ::close(fd);
  }
  int port() const { return port_; }
  /// The next COMMIT sent through the proxy meets `fault`.
  void Arm(Fault fault) { fault_.store(fault); }
  bool fired() const { return fired_.load(); }

 private:
  static sockaddr_in Loopback(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    return addr;
  }

  void AcceptLoop() {
    while (true) {
      const int client = ::accept(listen_fd_, nullptr, nullptr);
      if (client < 0) return;
      const int server = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr = Loopback(server_port_);
      if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(client);
        ::close(server);
        continue;
      }
      auto pair = std::make_shared<Pair>();
      pair->client = client;
      pair->server = server;
      std::lock_guard lock(mutex_);
      fds_.push_back(client);
      fds_.push_back(server);
      pumps_.emplace_back([this, pair] { ClientToServer(*pair); });
      pumps_.emplace_back([this, pair] { ServerToClient(*pair); });
    }
  }

  struct Pair {
    int client = -1;
    int server = -1;
    std::atomic<bool> swallow_answer{false};
    void Cut() {
      ::shutdown(client, SHUT_RDWR);
      ::shutdown(server, SHUT_RDWR);
    }
  };

  void ClientToServer(Pair& pair) {
    char buf[65536];
    while (true) {
      const ssize_t n = ::read(pair.client, buf, sizeof buf);
      if (n <= 0) break;
      const std::string chunk(buf, static_cast<std::size_t>(n));
      // COM_QUERY (0x03) "COMMIT", in a packet of its own.
      if (chunk.size() == 11 && chunk[4] == 0x03 && chunk.compare(5, 6, "COMMIT") == 0) {
        const Fault fault = fault_.exchange(Fault::kNone);
        if (fault == Fault::kDropCommit) {
          fired_.store(true);
          break;  // never reaches the server: it rolls the session back
        }
        if (fault == Fault::kDropCommitAnswer) {
          fired_.store(true);
          pair.swallow_answer.store(true);
        }
      }
      if (::write(pair.server, buf, static_cast<std::size_t>(n)) != n) break;
    }
    pair.Cut();
  }

  void ServerToClient(Pair& pair) {
    char buf[65536];
    std::string swallowed;
    while (true) {
      const ssize_t n = ::read(pair.server, buf, sizeof buf);
      if (n <= 0) break;
      if (pair.swallow_answer.load()) {
        // Held back until the server has answered the COMMIT, then the connection is cut.
        swallowed.append(buf, static_cast<std::size_t>(n));
        if (EndsWithFinalOk(swallowed)) break;
        continue;
      }
      if (::write(pair.client, buf, static_cast<std::size_t>(n)) != n) break;
    }
    pair.Cut();
  }

  int server_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<Fault> fault_{Fault::kNone};
  std::atomic<bool> fired_{false};
  std::thread accepter_;
  std::mutex mutex_;
  std::vector<int> fds_;
  std::vector<std::thread> pumps_;
};

class MysqlCommitMarksTest : public ::testing::TestWithParam<FaultProxy::Fault> {};

TEST_P(MysqlCommitMarksTest, AWriteWhoseCommitAnswerIsLostIsAppliedOnce) {
  const std::string name = testing::FreshMysqlDatabaseName();
  MysqlOptions options = testing::SuiteMysqlOptions(name);
  FaultProxy proxy(options.primary.port);
  options.primary.port = proxy.port();
  {
    auto db = OpenMysql(options);
    db->Write([](Connection& c) {
      c.Exec("CREATE TABLE rows_written (id BIGINT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB");
    });
    proxy.Arm(GetParam());
    int runs = 0;
    db->Write([&](Connection& c) {
      ++runs;
      c.Prepare("INSERT INTO rows_written () VALUES ()").Run();
    });
    EXPECT_TRUE(proxy.fired());
    const std::int64_t rows = db->Read([](Connection& c) {
      auto s = c.Prepare("SELECT COUNT(*) FROM rows_written");
      return s.Step() ? s.Int(0) : -1;
    });
    // Committed (answer lost): not run again. Not committed (COMMIT lost): run once more.
    EXPECT_EQ(rows, 1);
    EXPECT_EQ(runs, GetParam() == FaultProxy::Fault::kDropCommit ? 2 : 1);
    db->Write([&](Connection& c) { c.Exec("DROP DATABASE " + name); });
  }
}

std::string FaultName(const ::testing::TestParamInfo<FaultProxy::Fault>& param) {
  return param.param == FaultProxy::Fault::kDropCommit ? "CommitLost" : "AnswerLost";
}

INSTANTIATE_TEST_SUITE_P(Faults, MysqlCommitMarksTest,
                         ::testing::Values(FaultProxy::Fault::kDropCommit,
                                           FaultProxy::Fault::kDropCommitAnswer),
                         FaultName);

}  // namespace
}  // namespace reel::db
