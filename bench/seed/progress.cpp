#include "seed/progress.hpp"

#include <algorithm>

namespace reel::bench {

void Progress::Begin(std::string stage, std::int64_t total) {
  stage_ = std::move(stage);
  total_ = total;
  done_ = 0;
  started_ = std::chrono::steady_clock::now();
  drawn_ = started_;
  if (interactive_) Draw();
}

double Progress::Elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

void Progress::MaybeDraw() {
  const auto now = std::chrono::steady_clock::now();
  if (now - drawn_ < std::chrono::milliseconds(100)) return;
  drawn_ = now;
  Draw();
}

void Progress::Draw() {
  constexpr int kWidth = 30;
  const double fraction =
      total_ > 0 ? std::clamp(static_cast<double>(done_) / static_cast<double>(total_), 0.0, 1.0)
                 : 1.0;
  const int filled = static_cast<int>(fraction * kWidth);
  const double seconds = Elapsed();
  const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
  std::fprintf(out_, "\r%-10s [%.*s%*s] %3.0f%% %lld/%lld %.0f rows/s \x1b[K", stage_.c_str(),
               filled, "##############################", kWidth - filled, "", fraction * 100,
               static_cast<long long>(done_), static_cast<long long>(total_), rate);
  std::fflush(out_);
}

double Progress::End(std::int64_t done) {
  done_ = done;
  const double seconds = Elapsed();
  if (interactive_) {
    Draw();
    std::fprintf(out_, "%.1f s\n", seconds);
  } else {
    std::fprintf(out_, "%s: %lld rows in %.1f s\n", stage_.c_str(), static_cast<long long>(done),
                 seconds);
  }
  std::fflush(out_);
  return seconds;
}

}  // namespace reel::bench
