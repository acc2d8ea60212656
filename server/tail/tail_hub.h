#pragma once
// Push-side fan-out for live tails (Loki's tailer). The distributor publishes every accepted
// stream; each open subscription keeps the entries whose stream labels match its selector in a
// bounded buffer and is notified (once per empty -> non-empty transition) to drain it.
// Publishing never waits on a tail: a full buffer drops entries and records them for
// `dropped_entries`. With no tail open a publish costs one atomic load.
// Thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storage/labels.h"
#include "base/status.h"
#include "storage/store.h"

namespace fenrir::server {

// An entry a tail could not deliver (reported to the client as dropped_entries).
struct DroppedEntry {
  storage::Labels labels;
  int64_t timestamp_ns = 0;
};

class TailSubscription {
 public:
  // Per-subscription bounds: entries waiting to be drained, their line bytes, and dropped
  // records kept (Loki keeps at most 1000).
  static constexpr size_t kMaxPendingEntries = 10000;
  static constexpr size_t kMaxPendingBytes = 8 << 20;
  static constexpr size_t kMaxDropped = 1000;

  TailSubscription(std::string tenant, std::vector<storage::Matcher> matchers,
                   std::function<void()> notify);

  struct Drained {
    std::vector<storage::PushStream> streams;
    std::vector<DroppedEntry> dropped;
  };
  // Takes everything buffered so far (entries and dropped records).
  Drained Drain();

  // Records entries the reader itself could not send (bounded like the buffer's drops).
  void AddDropped(std::vector<DroppedEntry> dropped);

  const std::string& tenant() const { return tenant_; }

 private:
  friend class TailHub;
  // Buffers the matching part of `stream` (called by TailHub::Publish).
  void Offer(const storage::PushStream& stream);

  const std::string tenant_;
  const std::vector<storage::Matcher> matchers_;
  const std::function<void()> notify_;

  std::mutex mu_;
  std::vector<storage::PushStream> pending_;  // guarded by mu_
  size_t pending_entries_ = 0;                // guarded by mu_
  size_t pending_bytes_ = 0;                  // guarded by mu_
  std::vector<DroppedEntry> dropped_;         // guarded by mu_
};

class TailHub {
 public:
  // max_per_tenant: Loki's max_concurrent_tail_requests (<= 0: unlimited).
  explicit TailHub(int max_per_tenant) : max_per_tenant_(max_per_tenant) {}

  // Opens a subscription for streams matching `matchers` (empty: every stream). `notify` is
  // called from the publishing thread when entries become available; it must not block.
  // Errors: ResourceExhausted "max concurrent tail requests limit exceeded, count > limit
  // (11 > 10)" when the tenant already has the maximum open.
  Result<std::shared_ptr<TailSubscription>> Subscribe(const std::string& tenant,
                                                      std::vector<storage::Matcher> matchers,
                                                      std::function<void()> notify);
  // Idempotent.
  void Unsubscribe(const TailSubscription* subscription);

  // Offers accepted streams to the tenant's subscriptions. Never blocks on a reader.
  void Publish(std::string_view tenant, const std::vector<storage::PushStream>& streams);

  size_t open() const { return open_.load(std::memory_order_relaxed); }

 private:
  const int max_per_tenant_;
  std::atomic<size_t> open_{0};
  mutable std::shared_mutex mu_;
  std::map<std::string, std::vector<std::shared_ptr<TailSubscription>>, std::less<>>
      by_tenant_;  // guarded by mu_
};

}  // namespace fenrir::server
