#include "kit/db/mysql_connection.hpp"

#include <mysql.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "kit/db/db_metrics.hpp"
#include "kit/db/mysql_dialect.hpp"
#include "kit/log/log.hpp"

namespace reel::db {
namespace {

// STRICT_ALL_TABLES: bad values are errors, not warnings; PIPES_AS_CONCAT and ANSI_QUOTES:
// `||` and "identifiers" mean what they mean in SQLite; NO_BACKSLASH_ESCAPES: a backslash
// in a literal is a backslash, as in SQLite. join_cache_level = 0: joins run as nested loops
// over indexes, as SQLite's do. Every join of ours has an index; a join buffer only ever
// won when a joined table looked tiny, and then cost a temporary table and a sort of every
// candidate row instead of reading the first page of an index (a feed page over many videos
// of few media objects took 20 ms instead of 0.2).
constexpr std::string_view kSessionSetup =
    "SET SESSION sql_mode = 'STRICT_ALL_TABLES,PIPES_AS_CONCAT,ANSI_QUOTES,"
    "NO_ENGINE_SUBSTITUTION,NO_BACKSLASH_ESCAPES', "
    "SESSION tx_isolation = 'READ-COMMITTED', SESSION join_cache_level = 0";

unsigned Seconds(std::chrono::milliseconds ms) {
  return static_cast<unsigned>(std::max<long long>(1, (ms.count() + 999) / 1000));
}

bool IsIntegerType(enum_field_types type) {
  switch (type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
      return true;
    default:
      return false;
  }
}

std::int64_t ParseInt(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  return static_cast<std::int64_t>(std::strtod(std::string(text).c_str(), nullptr));
}

bool StartsWithWord(std::string_view sql, std::string_view word) {
  const auto start = sql.find_first_not_of(" \t\r\n(");
  if (start == std::string_view::npos || sql.size() - start < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(sql[start + i])) != word[i]) return false;
  }
  return true;
}

}  // namespace

Error::Kind MysqlErrorKind(unsigned code) {
  switch (code) {
    case 1062:  // ER_DUP_ENTRY
    case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
      return Error::Kind::kUniqueViolation;
    case 4025:  // ER_CONSTRAINT_FAILED (CHECK)
    case 1048:  // ER_BAD_NULL_ERROR
    case 1364:  // ER_NO_DEFAULT_FOR_FIELD
    case 1451:  // ER_ROW_IS_REFERENCED_2
    case 1452:  // ER_NO_REFERENCED_ROW_2
      return Error::Kind::kConstraint;
    case 1290:  // ER_OPTION_PREVENTS_STATEMENT (read-only)
    case 1836:  // ER_READ_ONLY_MODE
    case 1040:  // ER_CON_COUNT_ERROR
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED
    case 2002:  // CR_CONNECTION_ERROR
    case 2003:  // CR_CONN_HOST_ERROR
    case 2005:  // CR_UNKNOWN_HOST
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2026:  // CR_SSL_CONNECTION_ERROR
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT
      return Error::Kind::kUnavailable;
    default:
      return Error::Kind::kOther;
  }
}

bool IsConnectionLost(unsigned code) {
  switch (code) {
    case 1053:
    case 1927:
    case 2002:
    case 2003:
    case 2006:
    case 2013:
    case 2055:
    case 4031:
    case 2014:  // CR_COMMANDS_OUT_OF_SYNC: the protocol state is unknown
      return true;
    default:
      return false;
  }
}

/// A server-side prepared statement: the connection's cached one (reset on release) or one
/// of its own for a nested use (closed on release). Results are stored client-side at the
/// first Step, so other statements can run on the connection while the rows are read.
class MysqlConnection::CachedStatement final : public StatementImpl {
 public:
  CachedStatement(MysqlConnection& conn, MYSQL_STMT* stmt, bool cached, bool counts_changes,
                  prometheus::Histogram* latency)
      : conn_(conn),
        stmt_(stmt),
        cached_(cached),
        counts_changes_(counts_changes),
        clock_(latency) {
    params_.resize(mysql_stmt_param_count(stmt_));
    ints_.resize(params_.size());
    doubles_.resize(params_.size());
    texts_.resize(params_.size());
    lengths_.resize(params_.size());
    ClearParams();
    SetUpColumns();
  }
  ~CachedStatement() override { mysql_stmt_close(stmt_); }

  bool in_use = false;

  void Bind(int index, std::int64_t value) override {
    MYSQL_BIND& b = Param(index);
    ints_[index - 1] = value;
    b.buffer_type = MYSQL_TYPE_LONGLONG;
    b.buffer = &ints_[index - 1];
  }
  void Bind(int index, double value) override {
    MYSQL_BIND& b = Param(index);
    doubles_[index - 1] = value;
    b.buffer_type = MYSQL_TYPE_DOUBLE;
    b.buffer = &doubles_[index - 1];
  }
  void Bind(int index, std::string_view value) override {
    MYSQL_BIND& b = Param(index);
    // Copied, so temporaries are safe to bind (as on SQLite).
    std::string& text = texts_[index - 1];
    text.assign(value);
    lengths_[index - 1] = text.size();
    b.buffer_type = MYSQL_TYPE_STRING;
    b.buffer = text.data();
    b.buffer_length = text.size();
    b.length = &lengths_[index - 1];
  }
  void BindNull(int index) override {
    MYSQL_BIND& b = Param(index);
    b.buffer_type = MYSQL_TYPE_NULL;
    b.buffer = nullptr;
  }

  bool Step() override {
    clock_.Stepped();
    if (!executed_) {
      executed_ = true;
      Execute();
      if (results_.empty()) return false;
    }
    if (results_.empty() || done_) return false;
    const int rc = mysql_stmt_fetch(stmt_);
    if (rc == MYSQL_NO_DATA) {
      done_ = true;
      return false;
    }
    if (rc == 1) conn_.Fail(mysql_stmt_errno(stmt_), mysql_stmt_error(stmt_), "fetch");
    if (rc == MYSQL_DATA_TRUNCATED) FetchTruncated();
    return true;
  }

  std::int64_t Int(int column) const override {
    const Column& col = columns_.at(column);
    if (col.is_null) return 0;
    if (col.type == MYSQL_TYPE_LONGLONG) return col.int_value;
    if (col.type == MYSQL_TYPE_DOUBLE) return static_cast<std::int64_t>(col.double_value);
    return ParseInt(Bytes(col));
  }
  double Double(int column) const override {
    const Column& col = columns_.at(column);
    if (col.is_null) return 0;
    if (col.type == MYSQL_TYPE_DOUBLE) return col.double_value;
    if (col.type == MYSQL_TYPE_LONGLONG) return static_cast<double>(col.int_value);
    return std::strtod(std::string(Bytes(col)).c_str(), nullptr);
  }
  std::string_view TextView(int column) const override {
    const Column& col = columns_.at(column);
    if (col.is_null) return {};
    if (col.type == MYSQL_TYPE_STRING) return Bytes(col);
    col.formatted = col.type == MYSQL_TYPE_LONGLONG
                        ? (results_[column].is_unsigned
                               ? std::to_string(static_cast<std::uint64_t>(col.int_value))
                               : std::to_string(col.int_value))
                        : std::to_string(col.double_value);
    return col.formatted;
  }
  bool IsNull(int column) const override { return columns_.at(column).is_null != 0; }

  void Release() noexcept override {
    clock_.Released();
    if (!cached_) {
      delete this;
      return;
    }
    // Client-side only: the stored rows are freed, the bindings cleared; the server keeps
    // the prepared statement for the next borrower (a COM_STMT_RESET would cost a round trip
    // and is not needed: a fully stored result leaves nothing pending on the server).
    if (executed_ && !results_.empty()) mysql_stmt_free_result(stmt_);
    ClearParams();
    executed_ = false;
    done_ = false;
    in_use = false;
  }

 private:
  struct Column {
    enum_field_types type = MYSQL_TYPE_STRING;
    std::int64_t int_value = 0;
    double double_value = 0;
    std::vector<char> bytes;
    unsigned long length = 0;
    my_bool is_null = 0;
    my_bool error = 0;
    mutable std::string formatted;
  };

  // The result columns' bindings, from the statement's metadata (INSERT ... RETURNING has
  // none before its first execution).
  void SetUpColumns() {
    if (MYSQL_RES* meta = mysql_stmt_result_metadata(stmt_)) {
      const unsigned n = mysql_num_fields(meta);
      MYSQL_FIELD* fields = mysql_fetch_fields(meta);
      columns_.resize(n);
      results_.resize(n);
      for (unsigned c = 0; c < n; ++c) {
        Column& col = columns_[c];
        MYSQL_BIND& b = results_[c];
        std::memset(&b, 0, sizeof b);
        if (IsIntegerType(fields[c].type)) {
          col.type = MYSQL_TYPE_LONGLONG;
          b.buffer = &col.int_value;
          b.is_unsigned = (fields[c].flags & UNSIGNED_FLAG) != 0;
        } else if (fields[c].type == MYSQL_TYPE_FLOAT || fields[c].type == MYSQL_TYPE_DOUBLE) {
          col.type = MYSQL_TYPE_DOUBLE;
          b.buffer = &col.double_value;
        } else {
          col.type = MYSQL_TYPE_STRING;
          col.bytes.resize(64);
          b.buffer = col.bytes.data();
          b.buffer_length = col.bytes.size();
        }
        b.buffer_type = col.type;
        b.length = &col.length;
        b.is_null = &col.is_null;
        b.error = &col.error;
      }
      mysql_free_result(meta);
    }
  }

  static std::string_view Bytes(const Column& col) {
    return {col.bytes.data(), std::min<std::size_t>(col.length, col.bytes.size())};
  }

  MYSQL_BIND& Param(int index) {
    if (index < 1 || static_cast<std::size_t>(index) > params_.size()) {
      throw Error(Error::Kind::kOther, 0,
                  "bind index " + std::to_string(index) + " out of range (the statement has " +
                      std::to_string(params_.size()) + " parameters)");
    }
    MYSQL_BIND& b = params_[index - 1];
    std::memset(&b, 0, sizeof b);
    return b;
  }

  void ClearParams() {
    // Unbound parameters are NULL, as on SQLite.
    for (MYSQL_BIND& b : params_) {
      std::memset(&b, 0, sizeof b);
      b.buffer_type = MYSQL_TYPE_NULL;
    }
  }

  void Execute() {
    if (!params_.empty() && mysql_stmt_bind_param(stmt_, params_.data()))
      conn_.Fail(mysql_stmt_errno(stmt_), mysql_stmt_error(stmt_), "bind");
    if (mysql_stmt_execute(stmt_))
      conn_.Fail(mysql_stmt_errno(stmt_), mysql_stmt_error(stmt_), "execute");
    if (results_.empty() && mysql_stmt_field_count(stmt_) > 0) SetUpColumns();
    if (results_.empty()) {
      conn_.RecordChanges(static_cast<std::int64_t>(mysql_stmt_affected_rows(stmt_)),
                          static_cast<std::int64_t>(mysql_stmt_insert_id(stmt_)));
      return;
    }
    if (mysql_stmt_bind_result(stmt_, results_.data()) || mysql_stmt_store_result(stmt_))
      conn_.Fail(mysql_stmt_errno(stmt_), mysql_stmt_error(stmt_), "store result");
    // INSERT/DELETE ... RETURNING: the rows returned are the rows changed.
    if (counts_changes_) {
      conn_.RecordChanges(static_cast<std::int64_t>(mysql_stmt_num_rows(stmt_)),
                          static_cast<std::int64_t>(mysql_stmt_insert_id(stmt_)));
    }
  }

  // Columns longer than their buffer: grown to the real length and fetched again.
  void FetchTruncated() {
    bool grown = false;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      Column& col = columns_[c];
      if (col.type != MYSQL_TYPE_STRING || col.is_null || col.length <= col.bytes.size()) continue;
      col.bytes.resize(col.length);
      MYSQL_BIND& b = results_[c];
      b.buffer = col.bytes.data();
      b.buffer_length = col.bytes.size();
      if (mysql_stmt_fetch_column(stmt_, &b, static_cast<unsigned>(c), 0))
        conn_.Fail(mysql_stmt_errno(stmt_), mysql_stmt_error(stmt_), "fetch column");
      grown = true;
    }
    // The library keeps its own copy of the bindings: it must see the new buffers.
    if (grown && mysql_stmt_bind_result(stmt_, results_.data()))
      conn_.Fail(mysql_stmt_errno(stmt_), mysql_stmt_error(stmt_), "bind result");
  }

  MysqlConnection& conn_;
  MYSQL_STMT* stmt_;
  bool cached_;
  bool counts_changes_;
  StatementClock clock_;
  bool executed_ = false;
  bool done_ = false;
  std::vector<MYSQL_BIND> params_;
  std::vector<std::int64_t> ints_;
  std::vector<double> doubles_;
  std::vector<std::string> texts_;
  std::vector<unsigned long> lengths_;
  std::vector<Column> columns_;
  std::vector<MYSQL_BIND> results_;
};

MysqlConnection::MysqlConnection(const MysqlServerSpec& spec)
    : label_(spec.Label()), metrics_(spec.metrics) {
  const MysqlOptions& o = *spec.options;
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) throw Error(Error::Kind::kOther, 0, "mysql_init: out of memory");
  const unsigned connect = Seconds(o.connect_timeout);
  const unsigned query = Seconds(o.query_timeout);
  const my_bool no = 0;
  mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &connect);
  mysql_options(mysql_, MYSQL_OPT_READ_TIMEOUT, &query);
  mysql_options(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &query);
  mysql_options(mysql_, MYSQL_OPT_RECONNECT, &no);
  mysql_options(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  const MysqlEndpoint& e = spec.endpoint;
  if (!mysql_real_connect(
          mysql_, e.socket.empty() ? e.host.c_str() : nullptr, o.user.c_str(), o.password.c_str(),
          spec.database.empty() ? nullptr : spec.database.c_str(), static_cast<unsigned>(e.port),
          e.socket.empty() ? nullptr : e.socket.c_str(),
          CLIENT_FOUND_ROWS | CLIENT_MULTI_STATEMENTS)) {
    const unsigned code = mysql_errno(mysql_);
    std::string error = mysql_error(mysql_);
    mysql_close(mysql_);
    mysql_ = nullptr;
    const Error::Kind kind = code == 1049 || MysqlErrorKind(code) == Error::Kind::kOther
                                 ? Error::Kind::kUnavailable
                                 : MysqlErrorKind(code);
    throw Error(
        kind, static_cast<int>(code),
        "database " + label_ + " unreachable: " + error + " (" + std::to_string(code) + ")");
  }
  try {
    Query(kSessionSetup);
  } catch (...) {
    mysql_close(mysql_);  // the destructor does not run for a constructor that throws
    mysql_ = nullptr;
    throw;
  }
}

MysqlConnection::~MysqlConnection() {
  cache_.clear();
  if (mysql_) mysql_close(mysql_);
}

void MysqlConnection::Fail(unsigned code, const std::string& error, std::string_view what) {
  if (IsConnectionLost(code)) broken_ = true;
  const Error::Kind kind = MysqlErrorKind(code);
  std::string message =
      kind == Error::Kind::kUnavailable
          ? "database " + label_ + " unreachable: " + error + " (" + std::to_string(code) + ")"
          : "mysql " + std::string(what) + " on " + label_ + ": " + error + " (" +
                std::to_string(code) + ")";
  throw Error(kind, static_cast<int>(code), message);
}

void MysqlConnection::FailLast(std::string_view what) {
  Fail(mysql_errno(mysql_), mysql_error(mysql_), what);
}

Statement MysqlConnection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second->in_use) {
    it->second->in_use = true;
    return Statement(it->second.get());
  }
  const bool cache = it == cache_.end();
  const std::string text = ToMysql(sql);
  MYSQL_STMT* stmt = mysql_stmt_init(mysql_);
  if (stmt == nullptr) FailLast("prepare");
  if (mysql_stmt_prepare(stmt, text.data(), text.size())) {
    const unsigned code = mysql_stmt_errno(stmt);
    const std::string error = mysql_stmt_error(stmt);
    mysql_stmt_close(stmt);
    Fail(code, error + " in: " + text, "prepare");
  }
  const bool counts = StartsWithWord(text, "INSERT") || StartsWithWord(text, "DELETE") ||
                      StartsWithWord(text, "REPLACE");
  prometheus::Histogram* latency = metrics_ ? &metrics_->StatementLatency(sql) : nullptr;
  if (!cache) return Statement(new CachedStatement(*this, stmt, false, counts, latency));
  auto owned = std::make_unique<CachedStatement>(*this, stmt, true, counts, latency);
  owned->in_use = true;
  it = cache_.emplace(std::string(sql), std::move(owned)).first;
  return Statement(it->second.get());
}

void MysqlConnection::Exec(std::string_view sql) {
  for (const std::string& statement : SplitStatements(sql)) {
    Query(ToMysql(statement));
    RecordChanges(static_cast<std::int64_t>(mysql_affected_rows(mysql_)),
                  static_cast<std::int64_t>(mysql_insert_id(mysql_)));
  }
}

void MysqlConnection::Query(std::string_view sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size())) FailLast("query");
  // Drains every result (SET and DDL have none; a multi-statement text has one each). The
  // server stops at the first statement that fails, and mysql_next_result reports it.
  while (true) {
    if (MYSQL_RES* res = mysql_store_result(mysql_)) {
      mysql_free_result(res);
    } else if (mysql_field_count(mysql_) != 0) {
      FailLast("query");
    }
    const int next = mysql_next_result(mysql_);
    if (next < 0) return;
    if (next > 0) FailLast("query");
  }
}

std::string MysqlConnection::QueryValue(std::string_view sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size())) FailLast("query");
  MYSQL_RES* res = mysql_store_result(mysql_);
  if (res == nullptr) {
    if (mysql_field_count(mysql_) != 0) FailLast("query");
    return {};
  }
  std::string value;
  if (MYSQL_ROW row = mysql_fetch_row(res); row && row[0]) {
    value.assign(row[0], mysql_fetch_lengths(res)[0]);
  }
  mysql_free_result(res);
  return value;
}

std::uint64_t MysqlConnection::thread_id() const {
  return mysql_thread_id(mysql_);
}

}  // namespace reel::db
