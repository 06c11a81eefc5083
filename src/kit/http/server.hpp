#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kit/http/http_config.hpp"
#include "kit/http/message.hpp"
#include "kit/http/router.hpp"

namespace reel::http {

/// Whether the process should receive traffic (/readyz). Starts not ready; the process
/// mode marks it ready once stores are open; the server marks it draining on stop.
class Readiness {
 public:
  /// What a dependency says of itself: `name` ("database favorite"), whether the process can
  /// serve with it as it is, and a sentence for operators.
  struct Check {
    std::string name;
    bool ready = true;
    std::string detail;
  };
  using Probe = std::function<Check()>;

  void SetReady(bool ready) { ready_ = ready; }
  void SetDraining() { draining_ = true; }
  /// Adds a dependency /readyz reports; it must be cheap (state kept by its owner) and
  /// thread-safe. Added while the process starts, before it serves.
  void AddProbe(Probe probe) { probes_.push_back(std::move(probe)); }
  bool Ready() const { return ready_ && !draining_; }
  std::vector<Check> Checks() const {
    std::vector<Check> out;
    for (const Probe& probe : probes_) out.push_back(probe());
    return out;
  }

 private:
  std::atomic<bool> ready_{false};
  std::atomic<bool> draining_{false};
  std::vector<Probe> probes_;
};

/// The HTTP server (Boost.Beast underneath, on its own pool of threads). Every request is
/// matched against the router, then runs through the middleware chain (first = outermost)
/// into the route's handler; a handler's Status becomes a response via the route's renderer.
///
/// Run() blocks until SIGINT/SIGTERM or Stop(); then the listener closes, /readyz turns
/// 503, in-flight requests finish (up to drain_timeout) and Run() returns.
class HttpServer {
 public:
  /// Throws std::invalid_argument when config.trusted_proxies holds something that is not an
  /// address range (the message names the key).
  HttpServer(HttpConfig config, Router router, std::vector<Middleware> middleware,
             Readiness& readiness);
  ~HttpServer();

  /// Binds the port (after removing stale upload spool files, see RemoveStaleUploads);
  /// throws std::runtime_error when it cannot.
  void Start();
  /// Serves until a stop signal, then drains. Call after Start().
  void Run();
  /// Begins a graceful stop from any thread.
  void Stop();

  const Router& router() const { return router_; }
  /// The port listened on, after Start(): the system's choice when config.port is 0.
  int port() const;
  /// Accepts that failed for want of descriptors or memory (EMFILE, ENFILE, ...). Each is
  /// followed by a pause (10 ms doubling to 1 s, reset by a successful accept) instead of an
  /// immediate retry, which would spin a core while the condition lasts. Thread-safe.
  std::uint64_t accept_errors() const;
  /// Connections closed at once because their address already held
  /// http.max_connections_per_client. Thread-safe.
  std::uint64_t refused_connections() const;

 private:
  class Impl;
  HttpConfig config_;
  Router router_;
  Readiness& readiness_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reel::http
