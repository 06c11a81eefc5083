#pragma once

#include "kit/http/router.hpp"
#include "kit/http/server.hpp"

namespace reel::http {

/// GET /healthz (200 while the process serves) and GET /readyz (200 when ready, 503 while
/// starting or draining), and GET /metrics (the process's Prometheus metrics,
/// kit/metrics). Never rate limited.
void AddHealthRoutes(Router& router, const Readiness& readiness);

}  // namespace reel::http
