#pragma once
// Time seam: tests move a FakeClock instead of sleeping.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace fenrir::storage {

// Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowNanos() const = 0;
};

class SystemClock : public Clock {
 public:
  int64_t NowNanos() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  static SystemClock* Default() {
    static SystemClock clock;
    return &clock;
  }
};

class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t now_ns) : now_(now_ns) {}
  int64_t NowNanos() const override { return now_.load(); }
  void Set(int64_t now_ns) { now_.store(now_ns); }
  void Advance(int64_t delta_ns) { now_.fetch_add(delta_ns); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace fenrir::storage
