#include "kit/http/middleware/middleware.hpp"
#include "kit/log/log.hpp"

namespace reel::http {

Middleware RecoverMiddleware() {
  return [](Request& req, const Next& next) {
    try {
      return next(req);
    } catch (const std::exception& e) {
      log::Error("handler failed",
                 {{"request_id", req.request_id}, {"path", req.path}, {"error", e.what()}});
    } catch (...) {
      log::Error("handler failed", {{"request_id", req.request_id}, {"path", req.path}});
    }
    return RenderError(req, Internal("internal error; request id " + req.request_id));
  };
}

}  // namespace reel::http
