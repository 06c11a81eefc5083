#include "kit/http/health_routes.hpp"

#include <string>
#include <vector>

#include "kit/json/json_writer.hpp"
#include "kit/metrics/metrics.hpp"

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
                if (!readiness.Ready()) return Unavailable("NOT_READY", "starting or stopping");
                const std::vector<Readiness::Check> checks = readiness.Checks();
                json::JsonWriter out;
                out.BeginObject().Field("status", "ready").BeginArray("checks");
                std::string failing;
                for (const Readiness::Check& check : checks) {
                  out.BeginObject()
                      .Field("name", check.name)
                      .Field("ready", check.ready)
                      .Field("detail", check.detail)
                      .EndObject();
                  if (!check.ready) {
                    failing += (failing.empty() ? "" : "; ") + check.name + ": " + check.detail;
                  }
                }
                if (!failing.empty()) return Unavailable("NOT_READY", failing);
                out.EndArray().EndObject();
                return Response::Json(out.Take());
              },
              .group = "none"});
  router.Add({.method = "GET",
              .pattern = "/metrics",
              .handler = [](Request&) -> Result<Response> {
                Response response;
                response.body = metrics::Scrape();
                response.SetHeader("content-type", "text/plain; version=0.0.4; charset=utf-8");
                return response;
              },
              .group = "none"});
}

}  // namespace reel::http
