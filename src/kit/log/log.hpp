#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace reel::log {

struct LogConfig {
  std::string level = "info";   // trace, debug, info, warn, error, off
  std::string format = "auto";  // auto (text on a terminal, else json), json, text
};

/// One structured field of a log line.
struct Field {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, double, bool> value;

  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, std::int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(std::int64_t{v}) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
};

using Fields = std::initializer_list<Field>;

/// Configures the process-wide logger on stdout. Call once, before the servers start.
/// In json mode every line is one JSON object: ts, level, msg and the fields.
void Setup(const LogConfig& config);

/// The trace and span the calling thread works for, which every line it writes carries as
/// trace_id and span_id. The process installs kit/trace's (app/wiring.cpp): kit/log cannot
/// depend on it, since the domains log and must not link what tracing links.
struct LineIds {
  std::string trace_id;
  std::string span_id;
};
using LineIdsProvider = std::optional<LineIds> (*)();
void SetLineIds(LineIdsProvider provider);

void Debug(std::string_view msg, Fields fields = {});
void Info(std::string_view msg, Fields fields = {});
void Warn(std::string_view msg, Fields fields = {});
void Error(std::string_view msg, Fields fields = {});

}  // namespace reel::log
