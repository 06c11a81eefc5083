#pragma once

#include "app/module.hpp"

namespace reel::apidocs {

/// GET /api/openapi.yaml (AddApiDocsRoutes), as a module: `reel all` and, in a cluster, the
/// user process serve it.
extern const app::ModuleSpec kApiDocsModule;

}  // namespace reel::apidocs
