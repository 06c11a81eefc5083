#include "kit/log/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>

#include "kit/json/json_writer.hpp"

namespace reel::log {
namespace {

std::atomic<bool> g_json{false};  // text until Setup() says otherwise
std::atomic<LineIdsProvider> g_line_ids{nullptr};

std::optional<LineIds> CurrentLineIds() {
  const LineIdsProvider provider = g_line_ids.load(std::memory_order_acquire);
  return provider ? provider() : std::nullopt;
}

// In json mode the payload is the object's members after ts and level; spdlog adds those
// through the pattern, so every line is a single JSON object.
std::string RenderJson(std::string_view msg, Fields fields) {
  json::JsonWriter w;
  w.BeginObject().Field("msg", msg);
  for (const Field& f : fields) {
    w.Key(f.key);
    std::visit([&w](const auto& v) { w.Value(v); }, f.value);
  }
  // A line written while a span is current (handling a request, a call, an event) says
  // which, so the trace and its logs find each other.
  if (const std::optional<LineIds> ids = CurrentLineIds()) {
    w.Field("trace_id", ids->trace_id).Field("span_id", ids->span_id);
  }
  w.EndObject();
  std::string out = w.Take();
  // Strip the braces: the pattern supplies them around ts and level.
  return out.substr(1, out.size() - 2);
}

std::string RenderText(std::string_view msg, Fields fields) {
  std::string out(msg);
  if (const std::optional<LineIds> ids = CurrentLineIds()) {
    out += " trace_id=" + ids->trace_id + " span_id=" + ids->span_id;
  }
  for (const Field& f : fields) {
    out += ' ';
    out += f.key;
    out += '=';
    std::visit(
        [&out](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::string_view>) {
            out += v;
          } else if constexpr (std::is_same_v<V, bool>) {
            out += v ? "true" : "false";
          } else {
            out += std::to_string(v);
          }
        },
        f.value);
  }
  return out;
}

void Emit(spdlog::level::level_enum level, std::string_view msg, Fields fields) {
  auto* logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  const std::string line = g_json ? RenderJson(msg, fields) : RenderText(msg, fields);
  logger->log(level, "{}", line);
}

}  // namespace

void Setup(const LogConfig& config) {
  const bool json = config.format == "json" || (config.format == "auto" && !isatty(STDOUT_FILENO));
  g_json = json;
  spdlog::sink_ptr sink;
  if (json) {
    sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  } else {
    sink = std::make_shared<spdlog::sinks::stdout_color_sink_mt>();
  }
  auto logger = std::make_shared<spdlog::logger>("reel", std::move(sink));
  if (json) {
    logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                        spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%H:%M:%S.%e %^%-5l%$ %v");
  }
  logger->set_level(spdlog::level::from_str(config.level));
  // Flush every line: logs are read by collectors and by tests while the process runs.
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

void SetLineIds(LineIdsProvider provider) {
  g_line_ids.store(provider, std::memory_order_release);
}

void Debug(std::string_view msg, Fields fields) {
  Emit(spdlog::level::debug, msg, fields);
}
void Info(std::string_view msg, Fields fields) {
  Emit(spdlog::level::info, msg, fields);
}
void Warn(std::string_view msg, Fields fields) {
  Emit(spdlog::level::warn, msg, fields);
}
void Error(std::string_view msg, Fields fields) {
  Emit(spdlog::level::err, msg, fields);
}

}  // namespace reel::log
