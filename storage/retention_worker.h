#pragma once
// The background maintenance task: runs a function every `interval` (wall time: the pass itself
// reads the store's Clock for cutoffs) on its own thread. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace fenrir::storage {

class RetentionWorker {
 public:
  // Starts the thread; the first run happens one interval after construction.
  // REQUIRES: interval > 0.
  RetentionWorker(std::chrono::nanoseconds interval, std::function<void()> run);
  // Stops and joins.
  ~RetentionWorker();

  // Waits for a run in progress to finish, then ends the thread. Idempotent.
  void Stop();

 private:
  void Loop();

  const std::chrono::nanoseconds interval_;
  const std::function<void()> run_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace fenrir::storage
