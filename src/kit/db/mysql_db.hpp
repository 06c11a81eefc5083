#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kit/db/database.hpp"
#include "kit/status/status.hpp"

// The MariaDB/MySQL driver (MariaDB Connector/C). One MysqlDb is one service's database on a
// primary and its read replicas:
// - a bounded pool of connections per server, with connect and query timeouts; a connection
//   that is lost is dropped and a new one made on the next use; prepared statements cached
//   per connection;
// - writes and transactions on the primary; reads round robin over the healthy replicas,
//   else the primary;
// - read-your-writes: a write returns once every replica that serves reads has applied it
//   (MASTER_GTID_WAIT on the write's GTID, bounded by replica_wait); a replica that did not
//   stops serving reads until it has caught up, so an acknowledged write is never missing
//   from a read, in this process or another (docs/architecture.md, "Databases: drivers,
//   dialects, the split").
namespace reel::db {

/// Where a server listens: TCP host and port, or a unix socket.
struct MysqlEndpoint {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string socket;  // non-empty: connect through this unix socket instead

  /// "host:port", "host", "[v6]:port", or a socket path (starting with '/').
  static Result<MysqlEndpoint> Parse(std::string_view text);
  std::string ToString() const;
};

struct MysqlOptions {
  MysqlEndpoint primary;
  std::vector<MysqlEndpoint> replicas;
  std::string user = "reel";
  std::string password;
  std::string database;  // created on the primary when missing
  int pool_size = 8;     // per server
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds query_timeout{10000};
  std::chrono::milliseconds pool_wait{2000};
  std::chrono::milliseconds replica_wait{1000};
  std::chrono::milliseconds health_interval{1000};
  /// Each write inserts a random mark into reel_commit_marks, so a connection lost while
  /// COMMIT was in flight can be resolved (was the mark committed?) instead of guessed.
  bool commit_marks = true;
};

/// Opens `options.database` (creating it on the primary when missing). Throws db::Error
/// (kUnavailable) when the primary cannot be reached; replicas that are down are probed in
/// the background and join when they answer.
std::unique_ptr<Database> OpenMysql(MysqlOptions options);

}  // namespace reel::db
