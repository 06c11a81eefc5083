#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kit/http/message.hpp"

namespace reel::http {

/// Maps (method, path) to a route. Patterns are literal segments and `{name}` captures.
/// A trailing slash is ignored on both sides, so "/douyin/feed" and "/douyin/feed/" are one
/// route (real clients differ, and a redirect would lose a POST body).
/// Built once before the server starts; matching is read-only and thread-safe.
class Router {
 public:
  /// Adds a route; throws std::logic_error on a duplicate (method, pattern).
  void Add(Route route);

  /// Sets the route that answers a GET (so also HEAD) whose path no route has, with any
  /// method: e.g. a single-page web app answering every client-side path. Its pattern is
  /// informational ("/{path...}"); it gets no path parameters and reads Request::path.
  /// A path that exists with other methods still answers 405, never the fallback.
  /// Throws std::logic_error when a fallback is already set or the method is not GET.
  void SetFallback(Route route);
  const Route* fallback() const { return fallback_ ? &*fallback_ : nullptr; }

  struct Match {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
    bool path_known = false;  // some route has this path, perhaps with another method
    bool fallback = false;    // `route` is the fallback: no route has this path
  };
  /// The route for (method, path): a literal pattern first, then patterns with captures in
  /// the order added, then the fallback (GET only, and only for a path no route has).
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  static std::string_view Normalize(std::string_view path);
  Match FindRoute(std::string_view method, std::string_view path) const;

  std::vector<Route> routes_;
  // Literal patterns, keyed by path then method, for O(1) lookup of the common case.
  std::unordered_map<std::string, std::unordered_map<std::string, std::size_t>> literal_;
  std::vector<std::size_t> patterned_;
  std::optional<Route> fallback_;
};

}  // namespace reel::http
