#include "route_table.hpp"

#include <gtest/gtest.h>

#include <cctype>

#include "reel_server.hpp"

namespace reel::security {
namespace {

bool IsMethodName(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!std::isupper(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::vector<Route> ParseRouteTable(std::string_view text, std::string& error) {
  std::vector<Route> routes;
  error.clear();
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const auto space = line.find(' ');
    const std::string_view method = line.substr(0, space);
    const std::string_view pattern =
        space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    if (!IsMethodName(method) || !pattern.starts_with('/') ||
        pattern.find(' ') != std::string_view::npos) {
      error = "not a route line: '" + std::string(line) + "'";
      return {};
    }
    routes.push_back({std::string(method), std::string(pattern)});
  }
  return routes;
}

std::vector<Route> LoadRouteTable() {
  const e2e::ProcessResult run = e2e::RunReel({"routes"});
  if (run.exit_code != 0) {
    ADD_FAILURE() << "reel routes failed (exit " << run.exit_code.value_or(-1) << "): " << run.err;
    return {};
  }
  std::string error;
  std::vector<Route> routes = ParseRouteTable(run.out, error);
  if (!error.empty()) ADD_FAILURE() << "reel routes printed " << error;
  if (routes.empty() && error.empty()) ADD_FAILURE() << "reel routes printed no routes";
  return routes;
}

std::vector<std::string> Placeholders(std::string_view pattern) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while ((pos = pattern.find('{', pos)) != std::string_view::npos) {
    const auto close = pattern.find('}', pos);
    if (close == std::string_view::npos) break;
    names.emplace_back(pattern.substr(pos + 1, close - pos - 1));
    pos = close + 1;
  }
  return names;
}

std::string FillPattern(std::string_view pattern, const std::vector<std::string>& values) {
  std::string out;
  std::size_t next = 0;
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    const auto open = pattern.find('{', pos);
    const auto close = open == std::string_view::npos ? open : pattern.find('}', open);
    if (close == std::string_view::npos) {
      out.append(pattern.substr(pos));
      break;
    }
    out.append(pattern.substr(pos, open - pos));
    if (next < values.size()) out += values[next];
    ++next;
    pos = close + 1;
  }
  return out;
}

}  // namespace reel::security
