#pragma once

#include <pthread.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace reel::fuzz {

/// Splits one fuzzer input into the pieces a target needs: small choices from its front,
/// strings cut at a separator byte, the rest as a whole. Every read is defined on any input
/// (an exhausted input gives zeros and empty strings), so a target never needs to check.
class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}

  std::uint8_t Byte() {
    if (rest_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  bool Bool() { return (Byte() & 1) != 0; }
  /// One of `n` choices (n > 0).
  std::size_t Pick(std::size_t n) { return Byte() % n; }
  std::uint64_t U64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | Byte();
    return v;
  }

  /// The bytes up to the next `separator` (dropped), or all that is left. A separator that
  /// occurs rarely in real input (e.g. '\0') lets the corpus stay readable.
  std::string_view Until(char separator) {
    const auto at = rest_.find(separator);
    const std::string_view piece = rest_.substr(0, at);
    rest_ = at == std::string_view::npos ? std::string_view{} : rest_.substr(at + 1);
    return piece;
  }
  std::string_view Rest() {
    const std::string_view all = rest_;
    rest_ = {};
    return all;
  }
  bool empty() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

/// Stops the run with a message when a property the target checks does not hold; libFuzzer
/// reports the abort as a crash and saves the input.
[[noreturn]] inline void Fail(const char* what) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::abort();
}

inline void Check(bool holds, const char* what) {
  if (!holds) Fail(what);
}

/// The stack a target's work gets. The server gives each request thread 8 MiB and takes
/// bodies of up to 1 MiB, so a parser whose stack grows by more than 8 bytes per input byte
/// (a recursive descent into nesting) can be crashed by one request. Fuzzer inputs are a
/// few KiB, so on a full 8 MiB stack such a parser never overflows; on 64 KiB, an input of
/// 4 KiB overflows it once the parser needs more than 16 bytes per byte, and ASan reports
/// the stack overflow.
inline constexpr std::size_t kStackBytes = 64 * 1024;

/// Runs `work` on a thread with a kStackBytes stack and waits for it. The thread is made
/// once and kept: making one per input (with ASan's bookkeeping) cost most of a run's time.
template <typename Work>
void OnSmallStack(Work&& work) {
  struct Worker {
    std::mutex mutex;
    std::condition_variable changed;
    std::function<void()>* job = nullptr;  // set by the caller, cleared by the worker

    Worker() {
      pthread_attr_t attr;
      pthread_attr_init(&attr);
      pthread_attr_setstacksize(&attr, kStackBytes);
      pthread_t thread;
      const auto loop = [](void* self) -> void* {
        static_cast<Worker*>(self)->Loop();
        return nullptr;
      };
      if (pthread_create(&thread, &attr, loop, this) != 0) Fail("pthread_create");
      pthread_detach(thread);
      pthread_attr_destroy(&attr);
    }
    [[noreturn]] void Loop() {
      std::unique_lock lock(mutex);
      for (;;) {
        changed.wait(lock, [this] { return job != nullptr; });
        (*job)();
        job = nullptr;
        changed.notify_all();
      }
    }
  };
  static Worker* worker = new Worker;  // lives as long as the process, like its thread
  std::function<void()> job = std::forward<Work>(work);
  std::unique_lock lock(worker->mutex);
  worker->job = &job;
  worker->changed.notify_all();
  worker->changed.wait(lock, [&] { return worker->job == nullptr; });
}

}  // namespace reel::fuzz
