#include "fuzz_request.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <string_view>

#include "fuzz_values.hpp"

namespace reel::security {
namespace {

using Rng = std::mt19937_64;

// SplitMix64 of seed and index: neighbouring indexes get unrelated generators.
std::uint64_t Mix(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr std::array<std::string_view, 11> kOtherMethods = {
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "get", "BREW", "PROPFIND"};

bool UnderPrefix(std::string_view path, std::string_view prefix) {
  return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

// The route's path with its placeholders filled; false in `intact` when a mutation made it
// another path than the route's.
std::string MakePath(FuzzValues& values, const Route& route, bool& intact) {
  std::vector<std::string> filled;
  for (const std::string& name : Placeholders(route.pattern)) {
    filled.push_back(name == "key" ? values.MediaKeySegment() : values.IdSegment());
  }
  std::string path = FillPattern(route.pattern, filled);
  // An empty segment makes another path ("/api/video/" is "/api/video", another route).
  intact = std::none_of(filled.begin(), filled.end(),
                        [](const std::string& value) { return value.empty(); });
  switch (values.Below(20)) {
    case 0:
      path += "/";  // the router ignores a trailing slash
      break;
    case 1:
      path += "/" + values.PathJunk();
      intact = false;
      break;
    case 2:
      path = "/" + path;  // "//api/..." is outside every prefix
      intact = false;
      break;
    case 3:
      path.insert(path.find('/', 1) == std::string::npos ? path.size() : path.find('/', 1),
                  "/./" + values.PathJunk());
      intact = false;
      break;
    case 4: {
      // The same tail under the other API: /api/... becomes /douyin/... and back.
      const std::string_view tail = std::string_view(path).substr(
          path.find('/', 1) == std::string::npos ? path.size() : path.find('/', 1));
      path = (UnderPrefix(path, "/api") ? "/douyin" : "/api") + std::string(tail);
      intact = false;
      break;
    }
    default:
      break;
  }
  return path;
}

}  // namespace

FuzzRequest MakeFuzzRequest(const FuzzContext& context, std::uint64_t seed, std::uint64_t index) {
  Rng rng(Mix(seed, index));
  FuzzValues values(rng, context);
  FuzzRequest request;
  request.seed = seed;
  request.index = index;
  request.route = &context.routes[values.Below(context.routes.size())];

  // Most requests use the route's method, so they get past routing; the rest probe 405s,
  // HEAD and methods no route has.
  request.method = values.Chance(80)
                       ? request.route->method
                       : std::string(kOtherMethods[values.Below(kOtherMethods.size())]);
  bool path_intact = true;
  const std::string path = MakePath(values, *request.route, path_intact);
  request.route_intact = path_intact && request.method == request.route->method;

  // A third of the requests are plausible: every known parameter with a value of its type,
  // so handlers get past their first check; the rest are random names and values.
  const bool plausible = values.Chance(33);
  const bool douyin = UnderPrefix(path, "/douyin");
  const std::string token = values.Token();
  e2e::Pairs params = plausible ? values.PlausibleParams() : values.RandomParams();
  if (!token.empty() && douyin && values.Chance(60)) params.emplace_back("token", token);

  const bool has_body = request.method != "GET" && request.method != "HEAD"
                            ? values.Chance(85)
                            : request.method == "GET" && values.Chance(5);
  e2e::Pairs query;
  if (!has_body || values.Chance(30)) {
    query = params;
  } else if (values.Chance(50)) {
    query = values.RandomParams();
  }
  request.target = path;
  if (!query.empty()) request.target += "?" + values.QueryString(query);
  if (values.Chance(3)) request.target += values.Chance(50) ? "?" : "?&&=&%zz";

  if (has_body && request.method != "HEAD") {
    values.Body(params, plausible, request.body, request.content_type);
  }
  request.headers = values.Headers(token, douyin);
  return request;
}

std::string FuzzRequest::Describe() const {
  std::string out = "seed " + std::to_string(seed) + " index " + std::to_string(index) + " (" +
                    (route ? route->Name() : std::string("?")) + "): " + method + " " +
                    Printable(target, 600);
  if (target.size() > 600) out += " (" + std::to_string(target.size()) + " bytes)";
  if (!content_type.empty()) out += "\n  Content-Type: " + Printable(content_type, 200);
  for (const auto& [name, value] : headers) {
    out += "\n  " + Printable(name, 100) + ": " + Printable(value, 160);
    if (value.size() > 160) out += " (" + std::to_string(value.size()) + " bytes)";
  }
  if (!body.empty()) {
    out += "\n  body (" + std::to_string(body.size()) + " bytes): " + Printable(body, 400);
  }
  return out;
}

std::string Printable(std::string_view text, std::size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '\\') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    }
  }
  return out;
}

}  // namespace reel::security
