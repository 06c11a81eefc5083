#include <algorithm>
#include <optional>

#include "kit/http/middleware/middleware.hpp"

namespace reel::http {
namespace {
constexpr std::string_view kAllowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr std::string_view kExposeHeaders =
    "X-Request-Id, X-Trace-Id, Retry-After, Content-Range, Accept-Ranges, ETag";
// What a preflight may ask for: enough for any browser library, small enough that an echo
// costs nothing.
constexpr std::size_t kMaxRequestedHeaders = 32;
constexpr std::size_t kMaxHeaderNameBytes = 64;
// Browsers cap the cache of a preflight (Chromium at 2 h); 10 min spares most of them.
constexpr std::string_view kMaxAge = "600";

// RFC 9110 token characters, which a header name is made of.
bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The headers a preflight asks for, lower-cased and joined for Access-Control-Allow-Headers;
// nothing when the list is not a short list of header names.
std::optional<std::string> RequestedHeaders(std::string_view list) {
  std::string out;
  std::size_t count = 0;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view name = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (name.empty()) continue;  // "a, , b" and a trailing comma, as browsers never send
    if (++count > kMaxRequestedHeaders || name.size() > kMaxHeaderNameBytes ||
        !std::all_of(name.begin(), name.end(), IsTokenChar)) {
      return std::nullopt;
    }
    if (!out.empty()) out += ", ";
    for (char c : name) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

Middleware CorsMiddleware(std::vector<std::string> allowed_origins) {
  const bool any =
      std::find(allowed_origins.begin(), allowed_origins.end(), "*") != allowed_origins.end();
  return [any, allowed = std::move(allowed_origins)](Request& req, const Next& next) {
    const std::string_view origin = req.Header("origin");
    const bool allowed_origin = !origin.empty() && (any || std::find(allowed.begin(), allowed.end(),
                                                                     origin) != allowed.end());
    const bool preflight =
        req.method == "OPTIONS" && !req.Header("access-control-request-method").empty();
    Response response;
    if (preflight) {
      response.status = 204;
      if (allowed_origin) {
        // Whatever headers the page's code sends (upload libraries add X-Requested-With):
        // reel authenticates by token, never by cookie, so a header grants nothing by itself.
        const auto headers = RequestedHeaders(req.Header("access-control-request-headers"));
        if (!headers) {
          response = RenderError(
              req, InvalidArgument("CORS_HEADERS_INVALID",
                                   "Access-Control-Request-Headers must list at most " +
                                       std::to_string(kMaxRequestedHeaders) +
                                       " header names of at most " +
                                       std::to_string(kMaxHeaderNameBytes) + " characters"));
          return response;  // no Access-Control-Allow-Origin: the browser stops here
        }
        response.SetHeader("access-control-allow-methods", std::string(kAllowMethods));
        if (!headers->empty()) response.SetHeader("access-control-allow-headers", *headers);
        response.SetHeader("access-control-max-age", std::string(kMaxAge));
        response.SetHeader("vary",
                           "Origin, Access-Control-Request-Method, "
                           "Access-Control-Request-Headers");
      }
    } else {
      response = next(req);
    }
    if (allowed_origin) {
      // Echo the origin (not "*") so credentialed requests work.
      response.SetHeader("access-control-allow-origin", std::string(origin));
      response.SetHeader("access-control-expose-headers", std::string(kExposeHeaders));
      // Vary keeps caches honest.
      const std::string vary(response.Header("vary"));
      if (vary.empty()) {
        response.SetHeader("vary", "Origin");
      } else if (vary.find("Origin") == std::string::npos) {
        response.SetHeader("vary", vary + ", Origin");
      }
    }
    return response;
  };
}

}  // namespace reel::http
