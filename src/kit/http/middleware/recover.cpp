#include "kit/http/middleware/middleware.hpp"
#include "kit/log/log.hpp"

namespace reel::http {

Middleware RecoverMiddleware() {
  return [](Request& req, const Next& next) {
    try {
      return next(req);
    } catch (const StatusError& e) {
      // An engine that is down is the client's business (503, retry later); what failed
      // inside it is the operator's (the log).
      log::Error("handler failed",
                 {{"request_id", req.request_id}, {"path", req.path}, {"error", e.what()}});
      if (e.status().code == Code::kUnavailable) {
        Status status = e.status();
        if (status.retry_after.count() == 0) status.retry_after = std::chrono::seconds(1);
        return RenderError(req, status);
      }
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
