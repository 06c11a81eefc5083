#pragma once

#include "kit/http/router.hpp"

namespace reel::apidocs {

/// GET /api/openapi.yaml (the OpenAPI document compiled into the binary from
/// api/openapi.yaml) and GET /api/docs (an HTML page rendered from it). The page is rendered
/// once, here, so requests only copy bytes. Both carry a strong ETag and may be cached for a
/// few minutes; If-None-Match with the ETag gives 304.
/// Throws std::logic_error when the compiled-in document does not read (a build defect the
/// unit tests catch first): the server must not start without its documentation.
void AddApiDocsRoutes(http::Router& router);

/// The compiled-in api/openapi.yaml (defined in a source generated at build time).
std::string_view OpenApiYaml();

}  // namespace reel::apidocs
