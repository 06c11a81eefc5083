#pragma once

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

  struct Match {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
    bool path_known = false;  // some route has this path, perhaps with another method
  };
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  static std::string_view Normalize(std::string_view path);

  std::vector<Route> routes_;
  // Literal patterns, keyed by path then method, for O(1) lookup of the common case.
  std::unordered_map<std::string, std::unordered_map<std::string, std::size_t>> literal_;
  std::vector<std::size_t> patterned_;
};

}  // namespace reel::http
