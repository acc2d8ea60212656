#pragma once
// RocksStore's retention and deletion state (rocks_store_retention.cc, rocks_store_delete.cc):
// the current policy, every known delete request with its compiled filter, and the background
// worker. Mutexes first, then what each guards.

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "storage/delete_request.h"
#include "storage/retention_policy.h"
#include "storage/retention_worker.h"

namespace fenrir::storage {

struct CompiledDelete {
  DeleteRequest request;
  // False when the query could not be recompiled at open (no compiler, or it now fails):
  // the request stays received and is neither applied nor processed.
  bool compiled = false;
  bool in_process = false;  // picked by a pass: no longer cancellable
  DeleteFilter filter;
};

struct RetentionState {
  std::mutex policy_mu;
  std::shared_ptr<const RetentionPolicy> policy;  // guarded by policy_mu; never null

  std::mutex deletes_mu;
  // (tenant, id) -> request; guarded by deletes_mu.
  std::map<std::pair<std::string, std::string>, CompiledDelete> deletes;
  // Requests not processed yet (lets reads skip deletes_mu when there are none).
  std::atomic<uint64_t> unprocessed{0};
  uint64_t id_counter = 0;  // guarded by deletes_mu

  std::mutex pass_mu;  // serializes maintenance passes

  std::unique_ptr<RetentionWorker> worker;
};

}  // namespace fenrir::storage
