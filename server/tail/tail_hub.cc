#include "server/tail/tail_hub.h"

#include <algorithm>

namespace fenrir::server {

TailSubscription::TailSubscription(std::string tenant, std::vector<storage::Matcher> matchers,
                                   std::function<void()> notify)
    : tenant_(std::move(tenant)), matchers_(std::move(matchers)), notify_(std::move(notify)) {}

void TailSubscription::Offer(const storage::PushStream& stream) {
  if (!storage::MatchesAll(matchers_, stream.labels)) return;
  bool was_empty;
  {
    std::lock_guard<std::mutex> lock(mu_);
    was_empty = pending_.empty();
    storage::PushStream* kept = nullptr;
    for (const storage::PushEntry& e : stream.entries) {
      if (pending_entries_ >= kMaxPendingEntries ||
          pending_bytes_ + e.line.size() > kMaxPendingBytes) {
        if (dropped_.size() < kMaxDropped) dropped_.push_back({stream.labels, e.timestamp_ns});
        continue;
      }
      if (kept == nullptr) {
        pending_.push_back({stream.labels, {}});
        kept = &pending_.back();
      }
      kept->entries.push_back(e);
      pending_entries_++;
      pending_bytes_ += e.line.size();
    }
    if (pending_.empty() && dropped_.empty()) return;
  }
  if (was_empty && notify_) notify_();
}

TailSubscription::Drained TailSubscription::Drain() {
  Drained out;
  std::lock_guard<std::mutex> lock(mu_);
  out.streams.swap(pending_);
  out.dropped.swap(dropped_);
  pending_entries_ = 0;
  pending_bytes_ = 0;
  return out;
}

void TailSubscription::AddDropped(std::vector<DroppedEntry> dropped) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& d : dropped) {
    if (dropped_.size() >= kMaxDropped) break;
    dropped_.push_back(std::move(d));
  }
}

Result<std::shared_ptr<TailSubscription>> TailHub::Subscribe(
    const std::string& tenant, std::vector<storage::Matcher> matchers,
    std::function<void()> notify) {
  auto sub = std::make_shared<TailSubscription>(tenant, std::move(matchers), std::move(notify));
  std::unique_lock lock(mu_);
  auto& list = by_tenant_[tenant];
  if (max_per_tenant_ > 0 && static_cast<int>(list.size()) >= max_per_tenant_) {
    return Status::ResourceExhausted(
        "max concurrent tail requests limit exceeded, count > limit (" +
        std::to_string(list.size() + 1) + " > " + std::to_string(max_per_tenant_) + ")");
  }
  list.push_back(sub);
  open_.fetch_add(1, std::memory_order_relaxed);
  return sub;
}

void TailHub::Unsubscribe(const TailSubscription* subscription) {
  if (subscription == nullptr) return;
  std::unique_lock lock(mu_);
  auto it = by_tenant_.find(subscription->tenant());
  if (it == by_tenant_.end()) return;
  auto& list = it->second;
  auto pos = std::find_if(list.begin(), list.end(),
                          [&](const auto& s) { return s.get() == subscription; });
  if (pos == list.end()) return;
  list.erase(pos);
  open_.fetch_sub(1, std::memory_order_relaxed);
  if (list.empty()) by_tenant_.erase(it);
}

void TailHub::Publish(std::string_view tenant, const std::vector<storage::PushStream>& streams) {
  if (open_.load(std::memory_order_relaxed) == 0) return;
  std::vector<std::shared_ptr<TailSubscription>> subs;
  {
    std::shared_lock lock(mu_);
    auto it = by_tenant_.find(tenant);
    if (it == by_tenant_.end()) return;
    subs = it->second;
  }
  for (const auto& sub : subs) {
    for (const auto& stream : streams) sub->Offer(stream);
  }
}

}  // namespace fenrir::server
