// The sweeper's thread: passes repeat, a failing pass does not stop the next, and stopping
// never waits out an interval.
#include "video/domain/upload_sweeper.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace reel::video {
namespace {

using std::chrono::milliseconds;

// Counts passes; a test waits (bounded) until there were `n`.
struct Passes {
  bool WaitFor(int n) {
    std::unique_lock lock(mutex);
    return done.wait_for(lock, std::chrono::seconds(30), [&] { return count >= n; });
  }
  void Add() {
    std::lock_guard lock(mutex);
    ++count;
    done.notify_all();
  }
  std::mutex mutex;
  std::condition_variable done;
  int count = 0;
};

TEST(UploadSweeperTest, PassesRepeatAndAThrowingPassDoesNotStopThem) {
  Passes passes;
  {
    UploadSweeper sweeper(milliseconds(1), [&] {
      passes.Add();
      throw std::runtime_error("disk on fire");  // logged; the next pass still comes
    });
    EXPECT_TRUE(passes.WaitFor(3));
  }
}

TEST(UploadSweeperTest, StoppingDoesNotWaitForTheInterval) {
  Passes passes;
  // An hour between passes: the destructor must wake the thread rather than wait for it
  // (ctest's timeout would fail this test otherwise).
  {
    UploadSweeper sweeper(std::chrono::hours(1), [&] { passes.Add(); });
  }
  EXPECT_EQ(passes.count, 0) << "the first pass comes one interval after start";
}

}  // namespace
}  // namespace reel::video
