#include "kit/http/middleware/trace_context.hpp"

#include <string>

#include "kit/metrics/metrics.hpp"
#include "kit/trace/trace.hpp"

namespace reel::http {

Middleware TraceMiddleware() {
  return [](Request& req, const Next& next) {
    const std::string route = req.route ? req.route->pattern : "unmatched";
    const std::string method(metrics::MethodLabel(req.method));
    // The caller's trace (W3C traceparent) when it sent a valid one; else a new trace.
    trace::Span span(method + " " + route, trace::SpanKind::kServer,
                     trace::ParseTraceparent(req.Header("traceparent")));
    span.SetAttribute("http.request.method", method);
    span.SetAttribute("http.route", route);
    Response response = next(req);
    span.SetAttribute("http.response.status_code", response.status);
    if (response.status >= 500) span.SetError("HTTP " + std::to_string(response.status));
    response.SetHeader("x-trace-id", span.context().TraceIdHex());
    response.SetHeader("traceparent", trace::FormatTraceparent(span.context()));
    return response;
  };
}

}  // namespace reel::http
