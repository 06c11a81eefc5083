#include "seed/batch_insert.hpp"

#include <stdexcept>

namespace reel::bench {

BatchInsert::BatchInsert(db::Connection& conn, std::string head, int columns, int rows_per_batch)
    : conn_(conn), head_(std::move(head)), columns_(columns), rows_per_batch_(rows_per_batch) {
  // SQLite allows 32766 parameters per statement.
  if (columns_ < 1 || rows_per_batch_ < 1 || columns_ * rows_per_batch_ > 32766) {
    throw std::invalid_argument("BatchInsert: bad batch shape");
  }
  values_.reserve(static_cast<std::size_t>(columns_ * rows_per_batch_));
  full_batch_sql_ = SqlFor(static_cast<std::size_t>(rows_per_batch_));
}

std::string BatchInsert::SqlFor(std::size_t rows) const {
  std::string row = "(";
  for (int c = 0; c < columns_; ++c) row += c == 0 ? "?" : ",?";
  row += ')';
  std::string sql = head_ + " VALUES ";
  for (std::size_t r = 0; r < rows; ++r) {
    if (r > 0) sql += ',';
    sql += row;
  }
  return sql;
}

void BatchInsert::Flush() {
  if (values_.empty()) return;
  if (values_.size() % static_cast<std::size_t>(columns_) != 0) {
    throw std::logic_error("BatchInsert: a row with the wrong number of values");
  }
  const std::size_t rows = values_.size() / static_cast<std::size_t>(columns_);
  {
    // The full-batch statement is prepared once and cached by the connection; only the
    // last, shorter batch of a table needs a statement of its own.
    db::Statement stmt = conn_.Prepare(
        rows == static_cast<std::size_t>(rows_per_batch_) ? full_batch_sql_ : SqlFor(rows));
    int index = 1;
    for (const Value& v : values_) {
      if (const auto* i = std::get_if<std::int64_t>(&v)) {
        stmt.Bind(index++, *i);
      } else {
        stmt.Bind(index++, std::get<std::string>(v));
      }
    }
    stmt.Run();
  }
  values_.clear();
  written_ += static_cast<std::int64_t>(rows);
}

void BatchInsert::Finish() {
  Flush();
}

StageTransaction::~StageTransaction() {
  if (!open_) return;
  try {
    conn_.Exec("ROLLBACK");
  } catch (...) {
    // Already unwinding from the stage's own failure, which is the one worth reporting.
  }
}

void StageTransaction::Commit() {
  conn_.Exec("COMMIT");
  open_ = false;
}

}  // namespace reel::bench
