#include "kit/http/middleware/middleware.hpp"
#include "kit/log/log.hpp"

namespace reel::http {

Middleware AccessLogMiddleware(const Clock& clock) {
  return [&clock](Request& req, const Next& next) {
    const auto start = clock.Monotonic();
    Response response = next(req);
    const double latency_ms =
        std::chrono::duration<double, std::milli>(clock.Monotonic() - start).count();
    log::Info("request", {{"method", req.method},
                          {"route", req.route ? std::string_view(req.route->pattern) : "-"},
                          {"path", req.path},
                          {"status", response.status},
                          {"latency_ms", latency_ms},
                          {"request_id", req.request_id},
                          {"ip", req.remote_ip}});
    return response;
  };
}

}  // namespace reel::http
