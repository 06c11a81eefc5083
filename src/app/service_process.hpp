#pragma once

#include <string_view>

#include "app/app_config.hpp"

namespace reel::app {

/// `reel serve <service>`: one service process (ServiceProcesses in modules.hpp) on its own
/// HTTP and gRPC ports with its own database (<data_dir>/<service>.db): its modules, built
/// as `reel all` builds them, with gRPC clients for the services of the other processes.
/// Serves until SIGINT/SIGTERM; returns the exit code. Throws std::invalid_argument for a
/// name that is no service process.
int RunServiceProcess(const AppConfig& config, std::string_view service);

}  // namespace reel::app
