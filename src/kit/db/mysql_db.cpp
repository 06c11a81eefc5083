#include "kit/db/mysql_db.hpp"

#include <charconv>

#include "kit/db/mysql_connection.hpp"
#include "kit/db/mysql_router.hpp"

namespace reel::db {

Result<MysqlEndpoint> MysqlEndpoint::Parse(std::string_view text) {
  MysqlEndpoint out;
  if (text.empty()) return InvalidArgument("DATABASE_ADDRESS_INVALID", "an empty MySQL address");
  if (text.front() == '/') {
    out.socket = std::string(text);
    out.host.clear();
    return out;
  }
  std::string_view host = text;
  std::string_view port;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos)
      return InvalidArgument("DATABASE_ADDRESS_INVALID", "bad MySQL address " + std::string(text));
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':')
        return InvalidArgument("DATABASE_ADDRESS_INVALID",
                               "bad MySQL address " + std::string(text));
      port = text.substr(close + 2);
    }
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty())
    return InvalidArgument("DATABASE_ADDRESS_INVALID",
                           "no host in MySQL address " + std::string(text));
  out.host = std::string(host);
  if (!port.empty()) {
    int value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      return InvalidArgument("DATABASE_ADDRESS_INVALID",
                             "bad port in MySQL address " + std::string(text));
    }
    out.port = value;
  }
  return out;
}

std::string MysqlEndpoint::ToString() const {
  if (!socket.empty()) return socket;
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

std::unique_ptr<Database> OpenMysql(MysqlOptions options) {
  if (!IsValidMysqlDatabaseName(options.database)) {
    throw Error(
        Error::Kind::kOther, 0,
        "bad MySQL database name \"" + options.database + "\" (letters, digits and _, at most 64)");
  }
  {
    // Without a database selected: it may not exist yet.
    MysqlConnection setup(MysqlServerSpec{options.primary, "primary", "", &options});
    const std::string& name = options.database;
    setup.Query("CREATE DATABASE IF NOT EXISTS \"" + name +
                "\" CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
    // The marks of writes (MysqlDb::TryWrite); deleted after an hour.
    setup.Query("CREATE TABLE IF NOT EXISTS \"" + name +
                "\".reel_commit_marks (id BIGINT UNSIGNED PRIMARY KEY, at_ms BIGINT NOT NULL, "
                "KEY (at_ms)) ENGINE=InnoDB");
  }
  return std::make_unique<MysqlDb>(std::move(options));
}

}  // namespace reel::db
