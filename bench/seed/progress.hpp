#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace reel::bench {

/// Progress of the seeding stages on a stream (stderr). On a terminal, a bar redrawn in
/// place at most ten times a second; otherwise (a log, CI) one line when a stage ends, so a
/// captured log stays readable.
class Progress {
 public:
  /// `interactive`: draw the bar (pass isatty(fileno(out))).
  Progress(std::FILE* out, bool interactive) : out_(out), interactive_(interactive) {}

  void Begin(std::string stage, std::int64_t total);
  /// `done` rows of the current stage's total are written. Cheap enough to call per row.
  void Update(std::int64_t done) {
    done_ = done;
    if (interactive_ && (done & 0x3FFF) == 0) MaybeDraw();
  }
  /// Ends the stage with `done` rows; returns its duration in seconds.
  double End(std::int64_t done);

 private:
  void MaybeDraw();
  void Draw();
  double Elapsed() const;

  std::FILE* out_;
  bool interactive_;
  std::string stage_;
  std::int64_t total_ = 0;
  std::int64_t done_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point drawn_;
};

}  // namespace reel::bench
