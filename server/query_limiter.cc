#include "server/query_limiter.h"

namespace fenrir::server {

namespace {

uint64_t LabelsBytes(const storage::Labels& labels) {
  uint64_t n = 0;
  for (const auto& l : labels) n += l.name.size() + l.value.size() + 2 * sizeof(std::string);
  return n;
}

}  // namespace

QueryLimiter::QueryLimiter(int64_t max_outstanding_per_tenant, uint64_t max_result_bytes)
    : max_outstanding_(max_outstanding_per_tenant), max_result_bytes_(max_result_bytes) {}

QueryLimiter::Permit::Permit(std::shared_ptr<QueryLimiter> owner, std::string tenant)
    : owner_(std::move(owner)), tenant_(std::move(tenant)) {}

QueryLimiter::Permit::~Permit() { owner_->Release(tenant_); }

std::unique_ptr<QueryLimiter::Permit> QueryLimiter::TryAcquire(const std::string& tenant) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t& n = outstanding_[tenant];
    if (max_outstanding_ > 0 && n >= max_outstanding_) return nullptr;
    ++n;
  }
  return std::make_unique<Permit>(shared_from_this(), tenant);
}

void QueryLimiter::Release(const std::string& tenant) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = outstanding_.find(tenant);
  if (it == outstanding_.end()) return;
  if (--it->second <= 0) outstanding_.erase(it);
}

int64_t QueryLimiter::outstanding(const std::string& tenant) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = outstanding_.find(tenant);
  return it == outstanding_.end() ? 0 : it->second;
}

uint64_t QueryLimiter::ResultBytes(const query::QueryResult& result) {
  uint64_t n = 0;
  for (const auto& s : result.streams) {
    n += LabelsBytes(s.labels);
    for (const auto& e : s.entries) {
      n += sizeof(query::OutEntry) + e.line.size() + LabelsBytes(e.metadata) +
           LabelsBytes(e.parsed);
    }
  }
  for (const auto& s : result.series) {
    n += LabelsBytes(s.metric) + s.points.size() * sizeof(query::Point);
  }
  return n;
}

Status QueryLimiter::CheckResult(const query::QueryResult& result) const {
  if (max_result_bytes_ == 0) return Status::OK();
  uint64_t bytes = ResultBytes(result);
  if (bytes <= max_result_bytes_) return Status::OK();
  return Status::InvalidArgument(
      "the query result is too large to return (" + std::to_string(bytes) +
      " bytes materialized, limit: " + std::to_string(max_result_bytes_) +
      " bytes, fenrir.max_query_result_bytes); reduce the limit or the time range, or add "
      "more specific stream selectors or filters");
}

}  // namespace fenrir::server
