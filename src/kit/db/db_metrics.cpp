#include "kit/db/db_metrics.hpp"

#include <cctype>
#include <vector>

namespace reel::db {
namespace {

// The words of `sql`, lower-cased, up to `limit`: identifiers and keywords only.
std::vector<std::string> Words(std::string_view sql, std::size_t limit) {
  std::vector<std::string> words;
  std::string word;
  for (char c : sql) {
    const bool part = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    if (part) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      continue;
    }
    if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
      if (words.size() == limit) return words;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// The word after the first `keyword`, or "".
std::string After(const std::vector<std::string>& words, std::string_view keyword) {
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == keyword) return words[i + 1];
  }
  return "";
}

prometheus::Family<prometheus::Counter>& Errors() {
  static auto& family =
      metrics::CounterFamily("reel_db_errors_total", "Database errors by database and kind.");
  return family;
}

std::string_view KindLabel(Error::Kind kind) {
  switch (kind) {
    case Error::Kind::kUniqueViolation:
      return "unique_violation";
    case Error::Kind::kConstraint:
      return "constraint";
    case Error::Kind::kUnavailable:
      return "unavailable";
    case Error::Kind::kOther:
      break;
  }
  return "other";
}

}  // namespace

std::string StatementName(std::string_view sql) {
  const std::vector<std::string> words = Words(sql, 64);
  if (words.empty()) return "other";
  const std::string& verb = words[0];
  std::string table;
  if (verb == "select" || verb == "delete") {
    table = After(words, "from");
  } else if (verb == "insert" || verb == "replace") {
    table = After(words, "into");
  } else if (verb == "update") {
    table = words.size() > 1 ? words[1] : "";
  } else if (verb == "with") {
    // A CTE: name the statement by what its main part does.
    for (std::string_view main : {"select", "insert", "update", "delete"}) {
      for (std::size_t i = 1; i < words.size(); ++i) {
        if (words[i] == main) {
          return std::string(main) + " " +
                 (main == "insert"   ? After(words, "into")
                  : main == "update" ? (i + 1 < words.size() ? words[i + 1] : "")
                                     : After(words, "from"));
        }
      }
    }
    return "other";
  } else {
    return "other";
  }
  if (table.empty()) return verb;
  return verb + " " + table;
}

DbMetrics::DbMetrics(std::string database)
    : database_(std::move(database)),
      in_use_(metrics::GaugeFamily("reel_db_pool_in_use",
                                   "Database connections lent out now, by database.")
                  .Add({{"database", database_}})),
      waits_(metrics::CounterFamily("reel_db_pool_waits_total",
                                    "Times a caller found no free database connection and waited.")
                 .Add({{"database", database_}})) {
  // Every kind from 0, so a first error shows as an increase.
  for (Error::Kind kind : {Error::Kind::kOther, Error::Kind::kUniqueViolation,
                           Error::Kind::kConstraint, Error::Kind::kUnavailable}) {
    Errors().Add({{"database", database_}, {"kind", std::string(KindLabel(kind))}});
  }
}

prometheus::Histogram& DbMetrics::StatementLatency(std::string_view sql) {
  static auto& family = metrics::HistogramFamily(
      "reel_db_statement_duration_seconds",
      "Statement latency (first step to release), by database and statement.");
  return family.Add({{"database", database_}, {"statement", StatementName(sql)}},
                    metrics::LatencyBuckets());
}

prometheus::Gauge& DbMetrics::replica_lag() {
  return metrics::GaugeFamily("reel_db_replica_lag_seconds",
                              "Seconds since the most behind replica last held every commit the "
                              "primary had, by database (0: all caught up).")
      .Add({{"database", database_}});
}

void DbMetrics::Failed(const Error& error) {
  Errors()
      .Add({{"database", database_}, {"kind", std::string(KindLabel(error.kind()))}})
      .Increment();
}

std::string Database::MetricsName() const {
  return metrics_ ? metrics_->database() : "unnamed";
}

void Database::CountFailure(const Error& error) const {
  if (metrics_) metrics_->Failed(error);
}

}  // namespace reel::db
