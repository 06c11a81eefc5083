#include <random>

#include "kit/http/middleware/middleware.hpp"

namespace reel::http {
namespace {

// Clients' ids are kept only when short and plain, so they are safe in logs and headers.
bool Acceptable(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  }
  return true;
}

std::string NewId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = rng();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

}  // namespace

Middleware RequestIdMiddleware() {
  return [](Request& req, const Next& next) {
    const std::string_view given = req.Header("x-request-id");
    req.request_id = Acceptable(given) ? std::string(given) : NewId();
    Response response = next(req);
    response.SetHeader("x-request-id", req.request_id);
    return response;
  };
}

}  // namespace reel::http
