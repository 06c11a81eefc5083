#include "kit/http/router.hpp"

#include <stdexcept>

namespace reel::http {
namespace {

bool IsCapture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  return parts;
}

}  // namespace

std::string_view Router::Normalize(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

void Router::Add(Route route) {
  route.pattern = std::string(Normalize(route.pattern));
  for (const auto& existing : routes_) {
    if (existing.method == route.method && existing.pattern == route.pattern) {
      throw std::logic_error("duplicate route " + route.method + " " + route.pattern);
    }
  }
  const std::size_t index = routes_.size();
  const bool literal = route.pattern.find('{') == std::string::npos;
  if (literal) {
    literal_[route.pattern][route.method] = index;
  } else {
    patterned_.push_back(index);
  }
  routes_.push_back(std::move(route));
}

void Router::SetFallback(Route route) {
  if (fallback_) throw std::logic_error("a fallback route is already set");
  if (route.method != "GET") throw std::logic_error("the fallback route must be a GET route");
  fallback_ = std::move(route);
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match = FindRoute(method, path);
  if (!match.route && !match.path_known && fallback_ && method == "GET") {
    match.route = &*fallback_;
    match.fallback = true;
  }
  return match;
}

Router::Match Router::FindRoute(std::string_view method, std::string_view path) const {
  Match match;
  path = Normalize(path);
  if (auto it = literal_.find(std::string(path)); it != literal_.end()) {
    match.path_known = true;
    if (auto m = it->second.find(std::string(method)); m != it->second.end()) {
      match.route = &routes_[m->second];
      return match;
    }
  }
  const auto segments = Split(path);
  for (std::size_t index : patterned_) {
    const Route& route = routes_[index];
    const auto pattern = Split(route.pattern);
    if (pattern.size() != segments.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool same = true;
    for (std::size_t i = 0; i < pattern.size() && same; ++i) {
      if (IsCapture(pattern[i])) {
        params.emplace_back(pattern[i].substr(1, pattern[i].size() - 2), segments[i]);
      } else {
        same = pattern[i] == segments[i];
      }
    }
    if (!same) continue;
    match.path_known = true;
    if (route.method == method) {
      match.route = &route;
      match.params = std::move(params);
      return match;
    }
  }
  return match;
}

}  // namespace reel::http
