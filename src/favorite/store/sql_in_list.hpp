#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>

#include "kit/db/database.hpp"

namespace reel::favorite::detail {

inline std::string Placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

/// Runs `sql_before_list` + an IN list + `sql_after_list` over `ids` in chunks, so
/// statements stay few and bounded. `leading` binds the parameters before the list.
template <typename OnRow>
void ForEachChunk(db::Connection& conn, std::span<const std::int64_t> leading,
                  std::span<const std::int64_t> ids, const std::string& sql_before_list,
                  const std::string& sql_after_list, OnRow&& on_row) {
  constexpr std::size_t kChunk = 64;
  for (std::size_t at = 0; at < ids.size(); at += kChunk) {
    const auto chunk = ids.subspan(at, std::min(kChunk, ids.size() - at));
    auto rows = conn.Prepare(sql_before_list + Placeholders(chunk.size()) + sql_after_list);
    int index = 1;
    for (std::int64_t value : leading) rows.Bind(index++, value);
    for (std::int64_t id : chunk) rows.Bind(index++, id);
    while (rows.Step()) on_row(rows);
  }
}

}  // namespace reel::favorite::detail
