#pragma once

#include <string>

#include "apidocs/openapi_model.hpp"

namespace reel::apidocs {

/// The documentation page for `api`: one self-contained HTML document (inline CSS, no
/// scripts, no external resources, readable from phone width up) with a table of contents
/// grouped by tag, then every operation (method, path, summary, description, who may call
/// it, a parameter table, request-body fields, each response status with its headers and
/// body schema) and every component schema. All text from the document is HTML-escaped.
/// Operation anchors are `op-<method>-<path>` (`#op-get-api-video-id`), schema anchors
/// `schema-<name>`.
std::string RenderDocsPage(const ApiModel& api);

}  // namespace reel::apidocs
