#pragma once

#include <optional>
#include <string_view>

#include "kit/http/params.hpp"
#include "kit/status/status.hpp"
#include "video/domain/video_service.hpp"

namespace reel::video {

/// A yes/no parameter: a JSON boolean, or true/false/1/0 in a form or query string.
/// nullopt when absent or empty. Error: PARAM_INVALID naming it.
Result<std::optional<bool>> OptionalBool(const http::Params& params, std::string_view name);

/// is_public, is_original and source_url of a publish request (each optional); checked
/// further by VideoService. Errors: PARAM_INVALID.
Result<PublishOptions> ReadPublishOptions(const http::Params& params);

}  // namespace reel::video
