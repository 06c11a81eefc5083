#include "app/web_routes.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "kit/http/file_response.hpp"

namespace reel::app {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kServerPrefixes[] = {"/api", "/douyin", "/media", "/healthz", "/readyz"};
// Vite names everything under /assets/ by content hash, so a name never changes meaning.
constexpr std::string_view kHashedPrefix = "/assets/";
constexpr std::string_view kHashedCaching = "public, max-age=31536000, immutable";
// Everything else (index.html above all) must be revalidated, so a new build shows at once.
constexpr std::string_view kRevalidate = "no-cache";
// The server settings the client needs, beside its files rather than in the API.
constexpr std::string_view kConfigPath = "/web-config.json";
// The API documentation page: Swagger UI, a second page of the Vite build (web/api-docs.html).
constexpr std::string_view kDocsRoute = "/api/docs";
constexpr std::string_view kDocsPage = "api-docs.html";
// Swagger UI needs its bundle and /api/openapi.yaml from this origin and nothing else (its
// icons are data: URIs in its CSS). Holding it to that keeps markup from the document inert
// and "Try it out" on this server. Shared with the edge (deploy/nginx/reel-edge.conf.template).
constexpr std::string_view kDocsPolicy =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

struct ExtensionType {
  std::string_view extension;
  std::string_view content_type;
};

constexpr ExtensionType kWebTypes[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"txt", "text/plain; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"ttf", "font/ttf"},
    {"wasm", "application/wasm"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The path with %XX decoded; nullopt when an escape is malformed.
std::optional<std::string> PercentDecode(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') {
      out += path[i];
      continue;
    }
    if (i + 2 >= path.size()) return std::nullopt;
    const int high = HexValue(path[i + 1]);
    const int low = HexValue(path[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// The decoded path as a relative path inside the dist directory; nullopt when a segment
// could step outside it or name a hidden file ("..", ".", ".git"), or the path holds a
// backslash or NUL byte.
std::optional<fs::path> SafeRelativePath(std::string_view raw) {
  const auto decoded = PercentDecode(raw);
  if (!decoded) return std::nullopt;
  fs::path relative;
  std::string_view rest = *decoded;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (segment.empty()) continue;
    if (segment.front() == '.') return std::nullopt;
    if (segment.find_first_of(std::string_view("\\\0", 2)) != std::string_view::npos) {
      return std::nullopt;
    }
    relative /= std::string(segment);
  }
  return relative;
}

bool IsRegularFile(const fs::path& path, struct stat& st) {
  return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Changes with every rebuild of the file, so a revalidation after a build misses.
std::string EtagSeed(const struct stat& st) {
  char seed[64];
  std::snprintf(seed, sizeof seed, "%llx-%llx", static_cast<unsigned long long>(st.st_size),
                static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ull +
                    static_cast<unsigned long long>(st.st_mtim.tv_nsec));
  return seed;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// `missing` is the page of the build that is not there (index.html, api-docs.html).
http::Response NotBuiltPage(const std::string& dist_dir, std::string_view missing) {
  http::Response r;
  r.SetHeader("content-type", "text/html; charset=utf-8");
  r.SetHeader("cache-control", "no-store");
  r.body =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>reel: web client not built</title></head><body>\n"
      "<h1>The reel web client is not built</h1>\n"
      "<p>No <code>" +
      std::string(missing) + "</code> in <code>" + HtmlEscape(dist_dir) +
      "</code> (setting <code>web.dist_dir</code>, variable <code>REEL_WEB_DIST_DIR</code>, "
      "relative to the working directory).</p>\n"
      "<p>Build it with <code>./scripts/run</code> from the repository root, which builds it "
      "when missing or stale, or by hand: <code>cd web &amp;&amp; npm ci &amp;&amp; npm run "
      "build</code>. The APIs under <code>/api</code> and <code>/douyin</code> work without "
      "it.</p>\n</body></html>\n";
  return r;
}

class WebClient {
 public:
  explicit WebClient(WebClientOptions options)
      : dist_dir_(std::move(options.dist_dir)),
        config_(R"({"max_upload_bytes":)" + std::to_string(options.max_upload_bytes) + "}") {}

  Result<http::Response> Serve(const http::Request& req) const {
    if (IsServerPath(req.path)) return NotFound("ROUTE_NOT_FOUND", "no route for " + req.path);
    if (req.path == kConfigPath) {
      http::Response r = http::Response::Json(config_);
      r.SetHeader("cache-control", "no-cache");
      return r;
    }
    const auto relative = SafeRelativePath(req.path);
    if (!relative) return NotFound("FILE_NOT_FOUND", "no such file");
    const fs::path root(dist_dir_);
    struct stat index_st {};
    const fs::path index = root / "index.html";
    if (!IsRegularFile(index, index_st)) return NotBuiltPage(dist_dir_, "index.html");

    const fs::path candidate = root / *relative;
    struct stat st {};
    if (!relative->empty() && IsRegularFile(candidate, st) && Inside(root, candidate)) {
      const bool hashed = req.path.starts_with(kHashedPrefix);
      return WithNoSniff(http::FileResponse(req, candidate.string(),
                                            WebContentType(candidate.filename().string()),
                                            hashed ? kHashedCaching : kRevalidate, EtagSeed(st)));
    }
    if (req.path.starts_with(kHashedPrefix)) {
      return NotFound("FILE_NOT_FOUND", "no such file: " + req.path);
    }
    // A client-side route: the app reads the path and shows the right page.
    return WithNoSniff(http::FileResponse(req, index.string(), WebContentType("index.html"),
                                          kRevalidate, EtagSeed(index_st)));
  }

  Result<http::Response> ServeDocs(const http::Request& req) const {
    const fs::path page = fs::path(dist_dir_) / kDocsPage;
    struct stat st {};
    if (!IsRegularFile(page, st)) return NotBuiltPage(dist_dir_, kDocsPage);
    auto r = WithNoSniff(http::FileResponse(req, page.string(), WebContentType(kDocsPage),
                                            kRevalidate, EtagSeed(st)));
    if (r.ok()) r->SetHeader("content-security-policy", std::string(kDocsPolicy));
    return r;
  }

 private:
  // A directory symlinked out of dist must not serve what it points at.
  static bool Inside(const fs::path& root, const fs::path& candidate) {
    std::error_code ec;
    const fs::path real_root = fs::canonical(root, ec);
    if (ec) return false;
    const fs::path real = fs::canonical(candidate, ec);
    if (ec) return false;
    const auto mismatch =
        std::mismatch(real_root.begin(), real_root.end(), real.begin(), real.end());
    return mismatch.first == real_root.end();
  }

  static Result<http::Response> WithNoSniff(Result<http::Response> response) {
    if (response.ok()) response->SetHeader("x-content-type-options", "nosniff");
    return response;
  }

  std::string dist_dir_;
  std::string config_;
};

}  // namespace

bool IsServerPath(std::string_view path) {
  return std::any_of(std::begin(kServerPrefixes), std::end(kServerPrefixes),
                     [path](std::string_view prefix) {
                       return path.starts_with(prefix) &&
                              (path.size() == prefix.size() || path[prefix.size()] == '/');
                     });
}

std::string_view WebContentType(std::string_view path) {
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) {
    return "application/octet-stream";
  }
  std::string ext(path.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& row : kWebTypes) {
    if (row.extension == ext) return row.content_type;
  }
  return "application/octet-stream";
}

void AddWebRoutes(http::Router& router, WebClientOptions options) {
  auto client = std::make_shared<const WebClient>(std::move(options));
  router.Add({.method = "GET",
              .pattern = std::string(kDocsRoute),
              .handler = [client](http::Request& req) -> Result<http::Response> {
                return client->ServeDocs(req);
              }});
  router.SetFallback(http::Route{
      "GET", "/{path...}",
      [client](http::Request& req) -> Result<http::Response> { return client->Serve(req); }});
}

}  // namespace reel::app
