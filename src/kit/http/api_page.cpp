#include "kit/http/api_page.hpp"

#include <string>

namespace reel::http {

Result<ApiPage> ReadApiPage(const Params& params, int default_limit) {
  ApiPage page;
  auto cursor = params.OptionalInt("cursor");
  if (!cursor.ok()) return cursor.status();
  if (*cursor && **cursor < 0) {
    return InvalidArgument("PARAM_INVALID",
                           "parameter 'cursor' must be a cursor from a previous "
                           "page (a non-negative integer)");
  }
  page.cursor = cursor->value_or(0);
  auto limit = ReadApiLimit(params, default_limit);
  if (!limit.ok()) return limit.status();
  page.limit = *limit;
  return page;
}

Result<int> ReadApiLimit(const Params& params, int default_limit) {
  auto limit = params.OptionalInt("limit");
  if (!limit.ok()) return limit.status();
  if (!*limit) return default_limit;
  if (**limit < 1 || **limit > ApiPage::kMaxLimit) {
    return InvalidArgument("PARAM_INVALID", "parameter 'limit' must be between 1 and " +
                                                std::to_string(ApiPage::kMaxLimit));
  }
  return static_cast<int>(**limit);
}

void WriteApiPageEnd(json::JsonWriter& w, std::int64_t next_cursor) {
  WriteApiPageEnd(w, next_cursor == 0 ? std::string() : std::to_string(next_cursor));
}

void WriteApiPageEnd(json::JsonWriter& w, std::string_view next_cursor) {
  w.Field("next_cursor", next_cursor).Field("has_more", !next_cursor.empty());
}

}  // namespace reel::http
