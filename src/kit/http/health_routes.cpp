#include "kit/http/health_routes.hpp"

namespace reel::http {

void AddHealthRoutes(Router& router, const Readiness& readiness) {
  router.Add(
      {.method = "GET",
       .pattern = "/healthz",
       .handler = [](Request&) -> Result<Response> { return Response::Json(R"({"status":"ok"})"); },
       .group = "none"});
  router.Add({.method = "GET",
              .pattern = "/readyz",
              .handler = [&readiness](Request&) -> Result<Response> {
                if (readiness.Ready()) return Response::Json(R"({"status":"ready"})");
                return Unavailable("NOT_READY", "starting or stopping");
              },
              .group = "none"});
}

}  // namespace reel::http
