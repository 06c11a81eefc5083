#include "apidocs/apidocs_routes.hpp"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace reel::apidocs {
namespace {

// Long enough to spare repeated downloads, short enough that a new release shows soon;
// revalidation with the ETag is cheap either way.
constexpr std::string_view kCacheControl = "public, max-age=300";

// FNV-1a: the ETag only has to change when the bytes do.
std::string StrongEtag(std::string_view body) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : body) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return text;
}

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// If-None-Match compares weakly (RFC 9110 §13.1.2): W/"x" matches "x"; `*` matches anything.
bool NoneMatchHits(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view tag = TrimOws(header.substr(0, comma));
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

struct StaticDocument {
  std::string body;
  std::string content_type;
  std::string etag;
};

void AddStaticRoute(http::Router& router, std::string pattern,
                    std::shared_ptr<const StaticDocument> doc) {
  router.Add({.method = "GET",
              .pattern = std::move(pattern),
              .handler = [doc = std::move(doc)](http::Request& req) -> Result<http::Response> {
                http::Response r;
                r.SetHeader("etag", doc->etag);
                r.SetHeader("cache-control", std::string(kCacheControl));
                if (NoneMatchHits(req.Header("if-none-match"), doc->etag)) {
                  r.status = 304;
                  return r;
                }
                r.SetHeader("content-type", doc->content_type);
                r.SetHeader("x-content-type-options", "nosniff");
                r.body = doc->body;
                return r;
              }});
}

}  // namespace

void AddApiDocsRoutes(http::Router& router) {
  const std::string_view yaml = OpenApiYaml();
  AddStaticRoute(router, "/api/openapi.yaml",
                 std::make_shared<const StaticDocument>(StaticDocument{
                     std::string(yaml), "application/yaml; charset=utf-8", StrongEtag(yaml)}));
}

}  // namespace reel::apidocs
