// What every reply of reel must look like, whatever was asked: an HTTP answer, never a 5xx,
// and on /api and /douyin the JSON shape each API promises (docs/api-contract.md,
// api/openapi.yaml). Shared by the route fuzzer and the authorization matrix.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http_client.hpp"
#include "route_table.hpp"

namespace reel::security {

/// One request as the checks need it.
struct Exchange {
  std::string_view method{};
  /// The request target as sent (path and query).
  std::string_view target{};
  /// The route the request was built for, when its method and path are that route's unchanged
  /// (a trailing slash aside): then a success must carry the route's own fields too.
  const Route* route = nullptr;
};

/// A reply that breaks the contract. `kind` groups like failures ("5xx", "no reply",
/// "/api shape", "/douyin shape", "success shape", "content type", "invalid UTF-8");
/// `detail` says what was wrong with this reply.
struct Problem {
  std::string kind{};
  std::string detail{};
};

/// Checks `response` against the contract for `exchange`; nullopt when it conforms. Checks, in
/// order: an HTTP reply came (status 0 means none); the status is below 500; under /api (and
/// for /media errors) a JSON object in UTF-8 with application/json, errors as {code: status,
/// reason: UPPER_SNAKE, message: non-empty}, successes of a known route with its documented fields;
/// under /douyin a JSON object (UTF-8) with an integer status_code and a string status_msg
/// (non-empty on refusals), successes of a known route with its list or object. HEAD replies
/// and 304s carry no body and are checked for status only; /api/openapi.yaml and /api/docs
/// answer YAML and HTML when they succeed.
std::optional<Problem> CheckReply(const Exchange& exchange, const e2e::HttpResponse& response);

/// The path part of a request target ("/a/b?x=1" -> "/a/b").
std::string_view PathOf(std::string_view target);

}  // namespace reel::security
