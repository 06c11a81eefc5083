#pragma once

#include "kit/http/router.hpp"

namespace reel::apidocs {

/// GET /api/openapi.yaml: the OpenAPI document compiled into the binary from
/// api/openapi.yaml, with a strong ETag (If-None-Match with it gives 304) and a few minutes
/// of caching. The readable page, GET /api/docs, is the web client's (Swagger UI reading this
/// document; see app/web_routes.hpp), so a process without the web client serves only this.
void AddApiDocsRoutes(http::Router& router);

/// The compiled-in api/openapi.yaml (defined in a source generated at build time).
std::string_view OpenApiYaml();

}  // namespace reel::apidocs
