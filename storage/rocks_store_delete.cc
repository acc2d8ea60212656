// Delete requests of RocksStore: persistence, the read-time filter, and processing (blocks
// rewritten without the deleted lines). docs/retention.md describes the life cycle.

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>

#include "storage/block_codec.h"
#include "storage/keys.h"
#include "storage/rocks_status.h"
#include "storage/rocks_store.h"

namespace fenrir::storage {

namespace {

constexpr int kRewriteZstdLevel = 1;  // as block cuts

std::string_view View(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool Ready(const CompiledDelete& d, int64_t now, int64_t cancel_period) {
  return d.compiled && d.request.status == DeleteStatus::kReceived &&
         d.request.created_ns <= now - cancel_period;
}

int64_t SaturatingNext(int64_t v) {
  return v == std::numeric_limits<int64_t>::max() ? v : v + 1;
}

}  // namespace

Status RocksStore::LoadDeleteRequests() {
  const std::string prefix = DeleteRequestPrefix();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_cf_));
  for (it->Seek(prefix); it->Valid() && StartsWith(View(it->key()), prefix); it->Next()) {
    CompiledDelete d;
    FENRIR_RETURN_IF_ERROR(DecodeDeleteRequest(View(it->value()), &d.request));
    if (d.request.status == DeleteStatus::kReceived) {
      retention_->unprocessed.fetch_add(1);
      if (options_.delete_compiler) {
        auto filter = options_.delete_compiler(d.request.query);
        if (filter.ok()) {
          d.filter = std::move(*filter);
          d.compiled = true;
        }
      }
    }
    retention_->deletes[{d.request.tenant, d.request.id}] = std::move(d);
  }
  return FromRocks(it->status(), "delete requests: load");
}

Result<DeleteRequest> RocksStore::AddDeleteRequest(std::string_view tenant, std::string query,
                                                   int64_t start_ns, int64_t end_ns,
                                                   DeleteFilter filter) {
  if (tenant.empty() || tenant.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("invalid tenant id");
  }
  if (start_ns > end_ns) return Status::InvalidArgument("start time can't be greater than end time");
  CompiledDelete d;
  d.request.tenant = std::string(tenant);
  d.request.query = std::move(query);
  d.request.start_ns = start_ns;
  d.request.end_ns = end_ns;
  d.request.created_ns = options_.clock->NowNanos();
  d.filter = std::move(filter);
  d.compiled = true;
  std::lock_guard<std::mutex> l(retention_->deletes_mu);
  for (;;) {
    std::string seed = d.request.tenant + '\0' + d.request.query + '\0' +
                       std::to_string(d.request.created_ns) + '\0' +
                       std::to_string(++retention_->id_counter);
    char id[9];
    snprintf(id, sizeof(id), "%08x", static_cast<uint32_t>(std::hash<std::string>{}(seed)));
    d.request.id = id;
    if (!retention_->deletes.count({d.request.tenant, d.request.id})) break;
  }
  std::string value;
  EncodeDeleteRequest(d.request, &value);
  FENRIR_RETURN_IF_ERROR(FromRocks(
      db_->Put(WriteOpts(), index_cf_, DeleteRequestKey(tenant, d.request.id), value),
      "delete request: write"));
  DeleteRequest out = d.request;
  retention_->deletes[{d.request.tenant, d.request.id}] = std::move(d);
  retention_->unprocessed.fetch_add(1);
  return out;
}

Result<std::vector<DeleteRequest>> RocksStore::DeleteRequests(std::string_view tenant) {
  std::vector<DeleteRequest> out;
  {
    std::lock_guard<std::mutex> l(retention_->deletes_mu);
    const std::string t(tenant);
    for (auto it = retention_->deletes.lower_bound({t, ""});
         it != retention_->deletes.end() && it->first.first == t; ++it) {
      out.push_back(it->second.request);
    }
  }
  std::sort(out.begin(), out.end(), [](const DeleteRequest& a, const DeleteRequest& b) {
    return std::tie(a.created_ns, a.id) < std::tie(b.created_ns, b.id);
  });
  return out;
}

Status RocksStore::CancelDeleteRequest(std::string_view tenant, std::string_view id) {
  std::lock_guard<std::mutex> l(retention_->deletes_mu);
  auto it = retention_->deletes.find({std::string(tenant), std::string(id)});
  if (it == retention_->deletes.end()) {
    return Status::NotFound("could not find delete request with given id");
  }
  if (it->second.request.status != DeleteStatus::kReceived || it->second.in_process) {
    return Status::InvalidArgument(
        "deletion of request which is in process or already processed is not allowed");
  }
  FENRIR_RETURN_IF_ERROR(FromRocks(db_->Delete(WriteOpts(), index_cf_, DeleteRequestKey(tenant, id)),
                                   "delete request: cancel"));
  retention_->deletes.erase(it);
  retention_->unprocessed.fetch_sub(1);
  return Status::OK();
}

std::vector<DeleteSpan> RocksStore::ActiveDeletes(std::string_view tenant, const Labels& labels,
                                                  int64_t from, int64_t through) {
  std::vector<DeleteSpan> spans;
  if (retention_->unprocessed.load() == 0) return spans;
  const int64_t now = options_.clock->NowNanos();
  std::vector<std::pair<DeleteSpan, std::function<DeletePredicate(const Labels&)>>> found;
  {
    std::lock_guard<std::mutex> l(retention_->deletes_mu);
    const std::string t(tenant);
    for (auto it = retention_->deletes.lower_bound({t, ""});
         it != retention_->deletes.end() && it->first.first == t; ++it) {
      const CompiledDelete& d = it->second;
      if (!Ready(d, now, options_.delete_cancel_period_ns)) continue;
      if (d.request.end_ns < from || d.request.start_ns >= through) continue;
      if (!MatchesAll(d.filter.matchers, labels)) continue;
      found.push_back({DeleteSpan{d.request.start_ns, d.request.end_ns, nullptr},
                       d.filter.for_stream});
    }
  }
  for (auto& [span, for_stream] : found) {
    if (for_stream) span.predicate = for_stream(labels);
    spans.push_back(std::move(span));
  }
  return spans;
}

Status RocksStore::ProcessDeletes(int64_t now, MaintenanceReport* report,
                                  std::vector<std::pair<std::string, std::string>>* compact) {
  std::vector<CompiledDelete> ready;
  {
    std::lock_guard<std::mutex> l(retention_->deletes_mu);
    for (auto& [key, d] : retention_->deletes) {
      if (!Ready(d, now, options_.delete_cancel_period_ns) || d.in_process) continue;
      d.in_process = true;
      ready.push_back(d);
    }
  }
  Status first;
  for (CompiledDelete& d : ready) {
    Status st = ApplyDelete(d, report);
    if (st.ok()) {
      d.request.status = DeleteStatus::kProcessed;
      d.request.processed_ns = options_.clock->NowNanos();
      std::string value;
      EncodeDeleteRequest(d.request, &value);
      st = FromRocks(db_->Put(WriteOpts(), index_cf_,
                              DeleteRequestKey(d.request.tenant, d.request.id), value),
                     "delete request: write");
    }
    std::lock_guard<std::mutex> l(retention_->deletes_mu);
    auto it = retention_->deletes.find({d.request.tenant, d.request.id});
    if (it == retention_->deletes.end()) continue;
    it->second.in_process = false;
    if (!st.ok()) {
      if (first.ok()) first = st;
      continue;
    }
    it->second.request = d.request;
    retention_->unprocessed.fetch_sub(1);
    ++report->delete_requests_processed;
    compact->emplace_back(PartitionPrefix(d.request.tenant, DayOf(d.request.start_ns)),
                          PartitionPrefix(d.request.tenant, DayOf(d.request.end_ns) + 1));
  }
  return first;
}

Status RocksStore::ApplyDelete(const CompiledDelete& d, MaintenanceReport* report) {
  const DeleteRequest& r = d.request;
  std::vector<Selected> selected;
  FENRIR_RETURN_IF_ERROR(
      Select(r.tenant, d.filter.matchers, r.start_ns, SaturatingNext(r.end_ns), false, &selected));
  for (const Selected& sel : selected) {
    Stream* s = sel.stream.get();
    std::vector<DeleteSpan> spans{{r.start_ns, r.end_ns, nullptr}};
    if (d.filter.for_stream) spans[0].predicate = d.filter.for_stream(s->labels);
    std::vector<int64_t> days;
    {
      // Lines still in the head are persisted first so one rewrite path handles every line.
      std::lock_guard<std::mutex> l(s->mu);
      if (!s->head.empty() && s->head.min_ts() <= r.end_ns && s->head.max_ts() >= r.start_ns) {
        FENRIR_RETURN_IF_ERROR(CutLocked(s));
      }
      for (int64_t day : s->days) {
        if (day >= DayOf(r.start_ns) && day <= DayOf(r.end_ns)) days.push_back(day);
      }
    }
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_cf_));
    for (int64_t day : days) {
      bool emptied = false;
      const std::string bp = BlockPrefix(r.tenant, day, s->id);
      for (it->Seek(bp); it->Valid() && StartsWith(View(it->key()), bp); it->Next()) {
        BlockInfo info;
        FENRIR_RETURN_IF_ERROR(DecodeBlockInfo(View(it->value()), &info));
        if (info.max_ts < r.start_ns || info.min_ts > r.end_ns) continue;
        const std::string key(View(it->key()));
        rocksdb::PinnableSlice value;
        FENRIR_RETURN_IF_ERROR(
            FromRocks(db_->Get(rocksdb::ReadOptions(), blocks_cf_, key, &value), "delete: read"));
        DecodedBlock block;
        FENRIR_RETURN_IF_ERROR(DecodeBlock({value.data(), value.size()}, &block));
        std::vector<BlockEntryRef> kept;
        kept.reserve(block.size());
        for (size_t i = 0; i < block.size(); ++i) {
          if (IsDeleted(spans, block.Timestamp(i), block.Line(i), block.Metadata(i))) continue;
          kept.push_back({block.Timestamp(i), block.Line(i), &block.Metadata(i)});
        }
        const size_t removed = block.size() - kept.size();
        if (removed == 0) continue;
        rocksdb::WriteBatch batch;
        if (kept.empty()) {
          batch.Delete(index_cf_, key);
          batch.Delete(blocks_cf_, key);
        } else {
          // Same key, so the block keeps its rank among the stream's blocks.
          std::string encoded, meta;
          BlockInfo new_info;
          EncodeBlock(kept, kRewriteZstdLevel, &encoded, &new_info);
          EncodeBlockInfo(new_info, &meta);
          batch.Put(blocks_cf_, key, encoded);
          batch.Put(index_cf_, key, meta);
        }
        FENRIR_RETURN_IF_ERROR(FromRocks(db_->Write(WriteOpts(), &batch), "delete: write"));
        report->entries_deleted += removed;
        if (kept.empty()) {
          blocks_.fetch_sub(1, std::memory_order_relaxed);
          ++report->blocks_deleted;
          emptied = true;
        } else {
          ++report->blocks_rewritten;
        }
      }
      FENRIR_RETURN_IF_ERROR(FromRocks(it->status(), "delete: scan"));
      if (emptied) FENRIR_RETURN_IF_ERROR(DropEmptyStreamDay(s, day));
    }
  }
  return Status::OK();
}

Status RocksStore::DropEmptyStreamDay(Stream* s, int64_t day) {
  std::lock_guard<std::mutex> l(s->mu);  // no cut or push of the stream meanwhile
  if (!s->head.empty() && s->head.min_ts() < (day + 1) * kNanosPerDay &&
      s->head.max_ts() >= day * kNanosPerDay) {
    return Status::OK();
  }
  const std::string bp = BlockPrefix(s->tenant, day, s->id);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_cf_));
  it->Seek(bp);
  if (it->Valid() && StartsWith(View(it->key()), bp)) return Status::OK();
  FENRIR_RETURN_IF_ERROR(FromRocks(it->status(), "delete: scan"));
  rocksdb::WriteBatch batch;
  batch.Delete(index_cf_, SeriesKey(s->tenant, day, s->id));
  for (const Label& label : s->labels) {
    batch.Delete(index_cf_, PostingKey(s->tenant, day, label.name, label.value, s->id));
  }
  FENRIR_RETURN_IF_ERROR(FromRocks(db_->Write(WriteOpts(), &batch), "delete: index write"));
  s->days.erase(day);
  return Status::OK();
}

}  // namespace fenrir::storage
