#include "video/api/publish_params.hpp"

#include <string>

namespace reel::video {

Result<std::optional<bool>> OptionalBool(const http::Params& params, std::string_view name) {
  const auto value = params.Get(name);
  if (!value || value->empty()) return std::optional<bool>();
  if (*value == "true" || *value == "1") return std::optional<bool>(true);
  if (*value == "false" || *value == "0") return std::optional<bool>(false);
  return InvalidArgument("PARAM_INVALID",
                         "parameter '" + std::string(name) + "' must be true or false");
}

Result<PublishOptions> ReadPublishOptions(const http::Params& params) {
  PublishOptions options;
  auto is_public = OptionalBool(params, "is_public");
  if (!is_public.ok()) return is_public.status();
  auto is_original = OptionalBool(params, "is_original");
  if (!is_original.ok()) return is_original.status();
  options.is_public = *is_public;
  options.is_original = *is_original;
  options.source_url = std::string(params.Get("source_url").value_or(""));
  return options;
}

}  // namespace reel::video
