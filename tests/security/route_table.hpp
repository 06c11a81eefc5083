// The route table of `reel all` as `reel routes` prints it ("METHOD /path" per line), the
// list both security tests start from, so a route added to the server is fuzzed at once and
// must be placed in the authorization matrix before the suite passes again.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reel::security {

/// One served route: method and path pattern exactly as `reel routes` prints them
/// (`GET /api/video/{id}`).
struct Route {
  std::string method{};
  std::string pattern{};

  /// "GET /api/video/{id}".
  std::string Name() const { return method + " " + pattern; }
  bool operator==(const Route&) const = default;
  auto operator<=>(const Route&) const = default;
};

/// Parses `reel routes` output: one "METHOD /path" per line; blank lines are skipped. A line
/// of any other form is an error (the output format changed), named in `error`, and the
/// result is then empty.
std::vector<Route> ParseRouteTable(std::string_view text, std::string& error);

/// Runs `reel routes` and parses it. Adds a (non-fatal) test failure and returns an empty
/// table when the binary fails or prints something else.
std::vector<Route> LoadRouteTable();

/// The `{name}` placeholders of a pattern in order ("/api/video/{id}" -> {"id"}).
std::vector<std::string> Placeholders(std::string_view pattern);

/// `pattern` with each placeholder replaced by the next of `values` (used as given: the
/// caller encodes them). Missing values leave the placeholder empty.
std::string FillPattern(std::string_view pattern, const std::vector<std::string>& values);

}  // namespace reel::security
