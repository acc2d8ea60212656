#include "storage/retention_worker.h"

namespace fenrir::storage {

RetentionWorker::RetentionWorker(std::chrono::nanoseconds interval, std::function<void()> run)
    : interval_(interval), run_(std::move(run)) {
  thread_ = std::thread([this] { Loop(); });
}

RetentionWorker::~RetentionWorker() { Stop(); }

void RetentionWorker::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RetentionWorker::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stopping_) {
    if (cv_.wait_for(l, interval_, [this] { return stopping_; })) break;
    l.unlock();
    run_();
    l.lock();
  }
}

}  // namespace fenrir::storage
