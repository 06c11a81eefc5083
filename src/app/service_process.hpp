#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "app/app_config.hpp"

namespace reel::app {

/// A service that `reel serve` can run, with its default ports.
struct ServiceInfo {
  std::string_view name;
  int http_port;
  int grpc_port;
};
inline constexpr std::array<ServiceInfo, 6> kServices{{
    {"user", 8081, 9081},
    {"video", 8082, 9082},
    {"favorite", 8083, 9083},
    {"comment", 8084, 9084},
    {"feed", 8085, 9085},
    {"relation", 8086, 9086},
}};
std::optional<ServiceInfo> FindService(std::string_view name);

/// `reel serve <service>`: one service on its own HTTP and gRPC ports with its own
/// database (<data_dir>/<service>.db), calling every other service over gRPC. Serves until
/// SIGINT/SIGTERM; returns the exit code.
int RunServiceProcess(const AppConfig& config, std::string_view service);

}  // namespace reel::app
