#pragma once
// A minimal OTLP/HTTP collector for the tests: a loopback HTTP/1.1 server (127.0.0.1, port
// 0) that records each POST and decodes its body as an ExportTraceServiceRequest. A thread
// per connection, keep-alive honoured (each exporter reuses its connection).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace reel::trace::testing {

class OtlpTestReceiver {
 public:
  struct Options {
    int status = 200;    // the answer to every request
    bool answer = true;  // false: read requests and never answer (a hung collector)
  };

  struct Request {
    std::string method;
    std::string path;
    std::string content_type;
    std::string body;
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest decoded;
    bool decoded_ok = false;
  };

  OtlpTestReceiver();
  explicit OtlpTestReceiver(Options options);
  ~OtlpTestReceiver();
  OtlpTestReceiver(const OtlpTestReceiver&) = delete;
  OtlpTestReceiver& operator=(const OtlpTestReceiver&) = delete;

  /// "http://127.0.0.1:<port>"
  std::string endpoint() const;
  /// Waits until `count` spans in all have arrived, for at most `timeout`.
  bool WaitForSpans(std::size_t count, std::chrono::milliseconds timeout);
  std::vector<Request> requests() const;
  std::size_t span_count() const;

 private:
  void Serve();
  void ServeConnection(int fd);
  bool HandleRequest(int fd, std::string& buffer);  // false: close the connection
  void Record(Request request);

  Options options_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Request> requests_;
  std::size_t spans_ = 0;
  std::thread thread_;
};

/// A loopback port that nothing listens on (bound, then closed): connecting is refused.
int ClosedPort();

}  // namespace reel::trace::testing
