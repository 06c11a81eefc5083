#pragma once
// The tracing middleware, a library of its own (reel::kit_http_trace): kit/http itself links
// no tracing, so what builds on it alone (the fuzz targets) needs neither protobuf nor curl.

#include "kit/http/message.hpp"

namespace reel::http {

/// A server span per request (kit/trace): a child of the caller's W3C `traceparent` when it
/// sent a valid one, else the root of a new trace; its route pattern, method and status as
/// attributes, an error at 5xx. The response carries `X-Trace-Id` and the span's
/// `traceparent`. Outside the access log, so its line carries the span's ids.
Middleware TraceMiddleware();

}  // namespace reel::http
