#pragma once

#include <string_view>

#include "apidocs/openapi_model.hpp"
#include "kit/status/status.hpp"

namespace reel::apidocs {

/// Reads an OpenAPI 3.0 document (YAML, or JSON, which is YAML) into the model the docs
/// page is rendered from. Only local references (`#/components/...`) are followed.
///
/// Errors (INVALID_ARGUMENT, reason OPENAPI_INVALID), each naming the place in the
/// document (`paths./api/user.get.responses.200`) and its line where known: text that is
/// not YAML; a document without `openapi: 3.x`, `info.title` or `paths`; an operation
/// without responses; a `$ref` that is not local, does not resolve or loops; a security
/// requirement naming an undeclared scheme; a value of the wrong kind (a list where a map
/// belongs).
Result<ApiModel> ReadOpenApi(std::string_view text);

}  // namespace reel::apidocs
