#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kit/status/status.hpp"

namespace reel::config {

/// Binds dotted config keys ("http.port") to fields of typed config structs, then fills
/// them from a YAML file and from environment variables. Defaults are whatever the
/// structs hold before loading. Precedence: defaults < YAML file < environment.
///
/// Each key `a.b_c` is also read from the environment variable `REEL_A_B_C`.
/// Unknown keys in the file, unknown `REEL_*` variables and invalid values (including a
/// nested list or mapping where a plain value goes) are errors (CONFIG_INVALID) whose
/// message names the key. Durations are written "500ms", "10s", "5m", "24h" (or a plain
/// number of seconds); lists as YAML sequences or comma-separated strings.
///
/// A schema holds pointers into the structs it binds: keep them alive while it is used.
class Schema {
 public:
  Schema();
  ~Schema();
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  void Int(std::string key, std::int64_t* field, std::int64_t min, std::int64_t max);
  void Int(std::string key, int* field, int min, int max);
  void Int(std::string key, std::uint64_t* field, std::uint64_t min, std::uint64_t max);
  void Double(std::string key, double* field, double min, double max);
  void Bool(std::string key, bool* field);
  void String(std::string key, std::string* field);
  /// A string that must be one of `choices`.
  void Enum(std::string key, std::string* field, std::vector<std::string> choices);
  void Duration(std::string key, std::chrono::milliseconds* field, std::chrono::milliseconds min);
  void List(std::string key, std::vector<std::string>* field);
  /// A list of ids (positive integers below 2^53), written as List is.
  void IdList(std::string key, std::vector<std::int64_t>* field);

  /// Environment variables that belong to someone else (e.g. REEL_CONFIG, read by the CLI)
  /// and must not be reported as unknown.
  void AllowEnv(std::string name);

  /// Applies the YAML file at `path` (skipped when empty).
  Status LoadFile(const std::string& path);
  /// Applies `REEL_*` variables from `env` (name → value).
  Status LoadEnv(const std::map<std::string, std::string>& env);
  /// Sets one key from its textual form, as the CLI does for --port.
  Status Set(std::string_view key, std::string_view value);

  /// The variable name a key is read from: "http.port" → "REEL_HTTP_PORT".
  static std::string EnvNameOf(std::string_view key);

  /// Every bound key with its current value, for `reel config` style dumps and docs.
  std::vector<std::pair<std::string, std::string>> Describe() const;

  /// One bound key (defined in the .cpp).
  struct Entry;

 private:
  void Add(std::string key, std::unique_ptr<Entry> entry);
  std::map<std::string, std::unique_ptr<Entry>, std::less<>> entries_;
  std::vector<std::string> allowed_env_;
};

/// Parses "250ms", "10s", "5m", "2h", "1d" or a bare number of seconds.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

/// The process environment as a map (names → values).
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace reel::config
