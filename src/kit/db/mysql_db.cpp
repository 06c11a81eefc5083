#include "kit/db/mysql_db.hpp"

#include <charconv>

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

// Replaced by the driver (mysql_pool.*, mysql_router.*) in the next commit.
std::unique_ptr<Database> OpenMysql(MysqlOptions options) {
  throw Error(
      Error::Kind::kUnavailable, 0,
      "the MySQL driver is not built into this binary (" + options.primary.ToString() + ")");
}

}  // namespace reel::db
