#pragma once

#include <cstdint>
#include <string_view>

#include "kit/http/params.hpp"
#include "kit/json/json_writer.hpp"
#include "kit/status/status.hpp"

namespace reel::http {

/// The page an /api list is asked for: `cursor` (absent or "" for the first page, then the
/// previous page's next_cursor) and `limit` (1..kMaxLimit).
struct ApiPage {
  static constexpr int kMaxLimit = 100;
  static constexpr int kDefaultLimit = 20;

  std::int64_t cursor = 0;
  int limit = kDefaultLimit;
};

/// Errors: PARAM_INVALID when cursor is not a non-negative integer or limit is outside
/// 1..kMaxLimit (a clear refusal beats a silently different page).
Result<ApiPage> ReadApiPage(const Params& params, int default_limit = ApiPage::kDefaultLimit);

/// Only the `limit` of a list whose cursor is not a number (read it as a string).
/// Errors: PARAM_INVALID outside 1..kMaxLimit.
Result<int> ReadApiLimit(const Params& params, int default_limit = ApiPage::kDefaultLimit);

/// Closes an /api list with `"next_cursor"` (a string, "" when there is no next page) and
/// `"has_more"`. `next_cursor` 0 means the end.
void WriteApiPageEnd(json::JsonWriter& w, std::int64_t next_cursor);
/// The same for lists whose cursor is not a number (empty: the end).
void WriteApiPageEnd(json::JsonWriter& w, std::string_view next_cursor);

}  // namespace reel::http
