// The MySQL driver's own behaviour on the suite's MariaDB: opening, the pool's bound,
// migrations from several processes at once.
#include "kit/db/mysql_db.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "kit/db/migrations.hpp"
#include "kit/db/testing/test_database.hpp"

namespace reel::db {
namespace {

// A loopback port nothing listens on (bound, then closed).
int ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class MysqlDbTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (name_.empty()) return;
    try {
      OpenMysql(testing::SuiteMysqlOptions(name_))->Write([&](Connection& c) {
        c.Exec("DROP DATABASE IF EXISTS " + name_);
      });
    } catch (const std::exception&) {  // the fixture removes the whole server later
    }
  }
  MysqlOptions Fresh() {
    name_ = testing::FreshMysqlDatabaseName();
    return testing::SuiteMysqlOptions(name_);
  }
  std::string name_;
};

TEST_F(MysqlDbTest, OpenFailsClearlyWhenThePrimaryIsUnreachable) {
  MysqlOptions options = testing::SuiteMysqlOptions("unreachable");
  options.primary.port = ClosedPort();
  try {
    OpenMysql(options);
    FAIL() << "opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::kUnavailable);
    EXPECT_NE(std::string(e.what()).find("database primary 127.0.0.1:" +
                                         std::to_string(options.primary.port) + " unreachable"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(MysqlDbTest, RefusesADatabaseNameThatIsNotAnIdentifier) {
  MysqlOptions options = testing::SuiteMysqlOptions("x`; DROP DATABASE mysql; --");
  EXPECT_THROW(OpenMysql(options), Error);
}

TEST_F(MysqlDbTest, AFullPoolRefusesAfterPoolWait) {
  MysqlOptions options = Fresh();
  options.pool_size = 1;
  options.pool_wait = std::chrono::milliseconds(50);
  auto db = OpenMysql(options);
  std::string error;
  db->Read([&](Connection&) {
    // The only connection is held here while another thread asks for one.
    std::thread other([&] {
      try {
        db->Read([](Connection&) {});
      } catch (const Error& e) {
        if (e.IsUnavailable()) error = e.what();
      }
    });
    other.join();
  });
  EXPECT_NE(error.find("no database connection free within 50 ms"), std::string::npos) << error;
  EXPECT_TRUE(db->Health().writable);
  EXPECT_EQ(db->Health().detail, "ok");
}

TEST_F(MysqlDbTest, MigrationsFromSeveralProcessesAtOnceApplyOnce) {
  static constexpr Migration kSchema[] = {
      {1, "a", "", "CREATE TABLE a (id BIGINT PRIMARY KEY) ENGINE=InnoDB"},
      {2, "b", "", "CREATE TABLE b (id BIGINT PRIMARY KEY) ENGINE=InnoDB; ALTER TABLE a ADD c INT"},
  };
  const MysqlOptions options = Fresh();
  std::vector<std::unique_ptr<Database>> dbs;
  for (int i = 0; i < 4; ++i) dbs.push_back(OpenMysql(options));  // one per "process"
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (auto& db : dbs) {
    threads.emplace_back([&, d = db.get()] {
      try {
        if (!ApplyMigrations(*d, "race", kSchema).ok()) ++failures;
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CurrentVersion(*dbs[0], "race"), 2);
  const std::int64_t rows = dbs[0]->Read([](Connection& c) {
    auto s = c.Prepare("SELECT COUNT(*) FROM schema_migrations WHERE component = 'race'");
    return s.Step() ? s.Int(0) : -1;
  });
  EXPECT_EQ(rows, 2);
}

}  // namespace
}  // namespace reel::db
