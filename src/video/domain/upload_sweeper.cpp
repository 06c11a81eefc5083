#include "video/domain/upload_sweeper.hpp"

#include <exception>
#include <utility>

#include "kit/log/log.hpp"

namespace reel::video {

UploadSweeper::UploadSweeper(std::chrono::milliseconds interval, std::function<void()> pass)
    : interval_(interval), pass_(std::move(pass)), thread_([this] { Run(); }) {}

UploadSweeper::~UploadSweeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void UploadSweeper::Run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    lock.unlock();
    try {
      pass_();
    } catch (const std::exception& e) {
      log::Error("upload sweep failed", {{"error", e.what()}});
    }
    lock.lock();
  }
}

}  // namespace reel::video
