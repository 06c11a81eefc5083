#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace reel::video {

/// Runs `pass` (VideoService::ExpireUploads and a log line, in the wiring) on a thread of its
/// own every `interval` of real time, the first time one interval after construction, until
/// destroyed. What a pass removes is decided on the service's injected clock; only the
/// cadence is real time. A pass that throws is logged and the next runs on time.
/// The destructor waits for a running pass to finish, never for the rest of an interval.
class UploadSweeper {
 public:
  UploadSweeper(std::chrono::milliseconds interval, std::function<void()> pass);
  ~UploadSweeper();
  UploadSweeper(const UploadSweeper&) = delete;
  UploadSweeper& operator=(const UploadSweeper&) = delete;

 private:
  void Run();

  const std::chrono::milliseconds interval_;
  const std::function<void()> pass_;
  std::mutex mutex_;  // guards stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: started when everything above exists
};

}  // namespace reel::video
