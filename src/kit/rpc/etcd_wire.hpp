#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kit/status/status.hpp"

namespace reel::rpc::etcd_wire {

/// What the etcd v3 JSON gateway puts on the wire, without any I/O: base64 keys and
/// values, int64 fields written as strings, and the lines of a watch stream.

std::string Base64Encode(std::string_view bytes);
/// nullopt when `text` is not valid (padded, standard-alphabet) base64.
std::optional<std::string> Base64Decode(std::string_view text);

/// The smallest key greater than every key starting with `prefix` (etcd's range_end for a
/// prefix read); "\0" (every key) when no such key exists.
std::string PrefixEnd(std::string_view prefix);

/// The Status for a gateway error body such as {"error":"...","code":5}; `http_status` when
/// the body says nothing.
Status ErrorStatus(long http_status, std::string_view body);

/// One parsed object of a 2xx gateway reply, reduced to what the client uses.
struct Reply {
  std::int64_t revision = 0;  // header.revision
  std::int64_t id = 0;        // lease ID (grant, keep-alive)
  std::int64_t ttl = 0;       // lease TTL (grant, keep-alive; 0 or absent: no such lease)
  struct Kv {
    std::string key;
    std::string value;
  };
  std::vector<Kv> kvs;  // range
};
/// Parses a unary reply, or a streaming one wrapped in {"result":...}. Errors (malformed
/// JSON, an {"error":...} object) come back as a Status.
Result<Reply> ParseReply(std::string_view body);

/// One line of a /v3/watch stream.
struct WatchLine {
  enum class Kind { kCreated, kEvents, kCanceled, kError };
  Kind kind = Kind::kError;
  std::int64_t revision = 0;
  struct Event {
    bool deleted = false;
    std::string key;
    std::string value;  // empty for deletions
  };
  std::vector<Event> events;
  std::string message;  // why, for kCanceled and kError
};
WatchLine ParseWatchLine(std::string_view line);

}  // namespace reel::rpc::etcd_wire
