#include "kit/rpc/rpc_caller.hpp"

#include <random>
#include <thread>

#include "kit/log/log.hpp"

namespace reel::rpc::detail {

Status Throttled(std::string_view service, std::string_view method) {
  return Unavailable("DEPENDENCY_THROTTLED", std::string(service) + "." + std::string(method) +
                                                 ": not sent, too many recent calls to " +
                                                 std::string(service) + " failed");
}

Status NoInstance(std::string_view service, std::string_view method) {
  return Unavailable("DEPENDENCY_UNAVAILABLE", std::string(service) + "." + std::string(method) +
                                                   ": no " + std::string(service) + " instance");
}

// Only transport failures are logged here: a business error (NOT_FOUND) is the service's
// answer, and the caller decides whether it is worth a line.
void LogFailure(std::string_view service, std::string_view method, const grpc::Status& status,
                int attempt) {
  log::Warn("rpc call failed", {{"service", service},
                                {"method", method},
                                {"grpc_code", static_cast<int>(status.error_code())},
                                {"error", status.error_message()},
                                {"attempt", attempt}});
}

void SleepJitter(std::chrono::milliseconds max) {
  if (max <= std::chrono::milliseconds::zero()) return;
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<long long> micros(0, std::chrono::microseconds(max).count());
  std::this_thread::sleep_for(std::chrono::microseconds(micros(engine)));
}

}  // namespace reel::rpc::detail
