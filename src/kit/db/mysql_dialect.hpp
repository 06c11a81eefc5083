#pragma once

#include <string>
#include <string_view>
#include <vector>

// The MySQL spelling of the SQL subset repositories write (kit/db/database.hpp). Pure text
// rewriting over a light tokenizer: quoted strings, "identifiers", `identifiers` and comments
// are copied untouched, so only the keywords of the SQL itself are rewritten.
namespace reel::db {

/// Rewrites the subset's SQLite-only forms and leaves the rest as it is:
/// - `INSERT OR IGNORE INTO` → `INSERT IGNORE INTO`, `INSERT OR REPLACE INTO` → `REPLACE INTO`;
/// - `ON CONFLICT [(cols)] DO NOTHING` → the clause dropped and the INSERT made `INSERT IGNORE`;
/// - `ON CONFLICT (cols) DO UPDATE SET c = expr` → `ON DUPLICATE KEY UPDATE c = expr`, with
///   `excluded.c` → `VALUES(c)` in the assignments;
/// - `CROSS JOIN` → `STRAIGHT_JOIN` (both join in the order written).
std::string ToMysql(std::string_view sql);

/// Splits a script into its statements on `;` outside strings, identifiers and comments;
/// blank statements are dropped.
std::vector<std::string> SplitStatements(std::string_view script);

}  // namespace reel::db
