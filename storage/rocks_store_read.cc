// Series selection, label names/values, stats and entries of RocksStore.

#include <algorithm>
#include <map>
#include <unordered_map>

#include "storage/block_codec.h"
#include "storage/coding.h"
#include "storage/keys.h"
#include "storage/merge_iterator.h"
#include "storage/rocks_store.h"
#include "storage/rocks_status.h"

namespace fenrir::storage {

namespace {

std::string_view View(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool Overlaps(int64_t min_ts, int64_t max_ts, int64_t from, int64_t through) {
  return min_ts < through && max_ts >= from;
}

// Sorted, unique intersection of two sorted id lists.
std::vector<uint64_t> Intersect(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::vector<uint64_t> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

Status RocksStore::DaysWithData(std::string_view tenant, int64_t first, int64_t last,
                                std::vector<int64_t>* days) {
  std::string tenant_prefix(tenant);
  tenant_prefix.push_back('\0');
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_cf_));
  for (int64_t day = first; day <= last;) {
    it->Seek(PartitionPrefix(tenant, day));
    if (!it->Valid()) break;
    std::string_view key = View(it->key()), t, rest;
    char tag;
    int64_t found;
    if (!StartsWith(key, tenant_prefix) || !ParseIndexKey(key, &t, &found, &tag, &rest)) break;
    if (found > last) break;
    days->push_back(found);
    day = found + 1;
  }
  return FromRocks(it->status(), "index: days");
}

Status RocksStore::CandidatesInDay(std::string_view tenant, int64_t day,
                                   const std::vector<Matcher>& matchers,
                                   std::vector<uint64_t>* ids) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_cf_));
  bool have_set = false;
  std::vector<uint64_t> result;
  // Matchers that reject "" need the label: their postings bound the answer. The others
  // (e.g. a!="x") are checked against the labels afterwards.
  for (const Matcher& m : matchers) {
    if (m.MatchesEmpty()) continue;
    const bool exact = m.type() == MatchType::kEqual;
    const std::string name_prefix = PostingPrefix(tenant, day, m.name(), "", false);
    const std::string prefix = PostingPrefix(tenant, day, m.name(), m.value(), exact);
    std::vector<uint64_t> ids_m;
    for (it->Seek(prefix); it->Valid() && StartsWith(View(it->key()), prefix); it->Next()) {
      std::string_view value;
      uint64_t id;
      if (!ParsePostingSuffix(View(it->key()).substr(name_prefix.size()), &value, &id)) {
        return Status::Corruption("index: malformed posting key");
      }
      if (exact ? value == m.value() : m.Matches(value)) ids_m.push_back(id);
    }
    FENRIR_RETURN_IF_ERROR(FromRocks(it->status(), "index: postings"));
    std::sort(ids_m.begin(), ids_m.end());
    ids_m.erase(std::unique(ids_m.begin(), ids_m.end()), ids_m.end());
    result = have_set ? Intersect(result, ids_m) : std::move(ids_m);
    have_set = true;
    if (result.empty()) break;
  }
  if (!have_set) {
    const std::string prefix = SeriesPrefix(tenant, day);
    for (it->Seek(prefix); it->Valid() && StartsWith(View(it->key()), prefix); it->Next()) {
      std::string_view key = View(it->key());
      if (key.size() != prefix.size() + 8) return Status::Corruption("index: malformed series key");
      result.push_back(DecodeFixed64BE(key.data() + prefix.size()));
    }
    FENRIR_RETURN_IF_ERROR(FromRocks(it->status(), "index: series"));
  }
  *ids = std::move(result);
  return Status::OK();
}

Status RocksStore::Select(std::string_view tenant, const std::vector<Matcher>& matchers,
                          int64_t from, int64_t through, bool want_stats,
                          std::vector<Selected>* out) {
  // SelectOnce reads block metadata from one iterator, then each head under its stream's lock.
  // A cut (block written and head cleared under that lock) between the two would hide its
  // entries (written after the iterator, gone from the head); one that completed before the
  // iterator, or after the head was read, is seen once. A cut counted during the pass may be
  // the bad case, so the pass is repeated; under a cut storm the last pass stands (a count
  // off by the blocks cut meanwhile, never a crash).
  constexpr int kAttempts = 8;
  for (int attempt = 1;; ++attempt) {
    uint64_t cuts = cuts_.load(std::memory_order_acquire);
    FENRIR_RETURN_IF_ERROR(SelectOnce(tenant, matchers, from, through, want_stats, out));
    if (cuts_.load(std::memory_order_acquire) == cuts || attempt == kAttempts) {
      return Status::OK();
    }
  }
}

Status RocksStore::SelectOnce(std::string_view tenant, const std::vector<Matcher>& matchers,
                              int64_t from, int64_t through, bool want_stats,
                              std::vector<Selected>* out) {
  out->clear();
  if (from >= through) return Status::OK();
  Tenant* t = FindTenant(tenant);
  if (!t) return Status::OK();
  // Retention applies at read time: nothing older than a stream's cutoff is reported.
  const std::shared_ptr<const RetentionPolicy> policy = Policy();
  const int64_t now = options_.clock->NowNanos();
  from = std::max(from, policy->TenantFloor(tenant, now));
  if (from >= through) return Status::OK();
  std::vector<int64_t> days;
  FENRIR_RETURN_IF_ERROR(DaysWithData(tenant, DayOf(from), DayOf(through - 1), &days));

  std::unordered_map<uint64_t, size_t> pos;  // id -> index in *out
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_cf_));
  for (int64_t day : days) {
    std::vector<uint64_t> ids;
    FENRIR_RETURN_IF_ERROR(CandidatesInDay(tenant, day, matchers, &ids));
    std::vector<uint64_t> need_blocks;  // candidates whose presence or stats need block metadata
    for (uint64_t id : ids) {
      auto found = pos.find(id);
      if (found == pos.end()) {
        std::shared_ptr<Stream> s;
        {
          std::shared_lock<std::shared_mutex> l(t->mu);
          auto sit = t->by_id.find(id);
          if (sit != t->by_id.end()) s = sit->second;
        }
        if (!s || !MatchesAll(matchers, s->labels)) continue;
        found = pos.emplace(id, out->size()).first;
        Selected sel;
        sel.stats.series.id = id;
        sel.stats.series.labels = s->labels;
        sel.from = std::max(from, policy->CutoffFor(tenant, s->labels, now));
        sel.expired = sel.from >= through;
        sel.stream = std::move(s);
        out->push_back(std::move(sel));
      }
      Selected& sel = (*out)[found->second];
      if (sel.expired) continue;
      // Index keys of a day exist only once the stream holds data in that day.
      if (sel.from <= day * kNanosPerDay && (day + 1) * kNanosPerDay <= through) {
        sel.present = true;
      }
      if (want_stats || !sel.present) need_blocks.push_back(id);
    }
    if (need_blocks.empty()) continue;
    // Block metadata only: no block is read to answer this.
    for (uint64_t id : need_blocks) {
      std::string bp = BlockPrefix(tenant, day, id);
      for (it->Seek(bp); it->Valid() && StartsWith(View(it->key()), bp); it->Next()) {
        BlockInfo info;
        FENRIR_RETURN_IF_ERROR(DecodeBlockInfo(View(it->value()), &info));
        Selected& sel = (*out)[pos[id]];
        if (!Overlaps(info.min_ts, info.max_ts, sel.from, through)) continue;
        sel.present = true;
        sel.stats.chunks += 1;
        sel.stats.entries += info.entries;
        sel.stats.bytes += info.raw_bytes;
      }
      FENRIR_RETURN_IF_ERROR(FromRocks(it->status(), "index: blocks"));
    }
  }
  // The open block of each stream counts like one more block.
  for (Selected& sel : *out) {
    if (sel.expired || (sel.present && !want_stats)) continue;
    std::lock_guard<std::mutex> l(sel.stream->mu);
    const StreamHead& h = sel.stream->head;
    if (h.empty() || !Overlaps(h.min_ts(), h.max_ts(), sel.from, through)) continue;
    sel.present = true;
    sel.stats.chunks += 1;
    sel.stats.entries += h.size();
    sel.stats.bytes += h.raw_bytes();
  }
  out->erase(std::remove_if(out->begin(), out->end(), [](const Selected& s) { return !s.present; }),
             out->end());
  std::sort(out->begin(), out->end(), [](const Selected& a, const Selected& b) {
    return a.stats.series.labels < b.stats.series.labels;
  });
  return Status::OK();
}

Result<std::vector<SeriesRef>> RocksStore::SelectSeries(std::string_view tenant,
                                                        const std::vector<Matcher>& matchers,
                                                        int64_t from_ns, int64_t through_ns) {
  std::vector<Selected> sel;
  FENRIR_RETURN_IF_ERROR(Select(tenant, matchers, from_ns, through_ns, false, &sel));
  std::vector<SeriesRef> out;
  out.reserve(sel.size());
  for (auto& s : sel) out.push_back(std::move(s.stats.series));
  return out;
}

Result<std::vector<SeriesStats>> RocksStore::Stats(std::string_view tenant,
                                                   const std::vector<Matcher>& matchers,
                                                   int64_t from_ns, int64_t through_ns) {
  std::vector<Selected> sel;
  FENRIR_RETURN_IF_ERROR(Select(tenant, matchers, from_ns, through_ns, true, &sel));
  std::vector<SeriesStats> out;
  out.reserve(sel.size());
  for (auto& s : sel) out.push_back(std::move(s.stats));
  return out;
}

Result<std::vector<std::string>> RocksStore::LabelNames(std::string_view tenant,
                                                        const std::vector<Matcher>& matchers,
                                                        int64_t from_ns, int64_t through_ns) {
  std::vector<Selected> sel;
  FENRIR_RETURN_IF_ERROR(Select(tenant, matchers, from_ns, through_ns, false, &sel));
  std::vector<std::string> out;
  for (const auto& s : sel) {
    for (const Label& l : s.stats.series.labels) out.push_back(l.name);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<std::vector<std::string>> RocksStore::LabelValues(std::string_view tenant,
                                                         std::string_view name,
                                                         const std::vector<Matcher>& matchers,
                                                         int64_t from_ns, int64_t through_ns) {
  std::vector<Selected> sel;
  FENRIR_RETURN_IF_ERROR(Select(tenant, matchers, from_ns, through_ns, false, &sel));
  std::vector<std::string> out;
  for (const auto& s : sel) {
    if (const std::string* v = s.stats.series.labels.Get(name)) out.push_back(*v);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::unique_ptr<EntryIterator> RocksStore::Entries(std::string_view tenant,
                                                   const SeriesRef& series, int64_t from_ns,
                                                   int64_t through_ns, Direction direction,
                                                   const ScanHints& hints) {
  if (from_ns >= through_ns) return NewEmptyIterator(Status::OK());
  std::shared_ptr<Stream> stream = FindStream(tenant, series.id);
  if (!stream) return NewEmptyIterator(Status::OK());
  // Retention applies at read time, before any pass has removed the data.
  from_ns = std::max(from_ns,
                     Policy()->CutoffFor(tenant, stream->labels, options_.clock->NowNanos()));
  if (from_ns >= through_ns) return NewEmptyIterator(Status::OK());

  // The head copy and the block list must agree: take both under the stream's lock (via a
  // RocksDB snapshot) so a concurrent cut neither hides nor doubles entries.
  std::vector<MergeSource> sources;
  const rocksdb::Snapshot* snap;
  {
    std::lock_guard<std::mutex> l(stream->mu);
    auto head = stream->head.Snapshot(from_ns, through_ns);
    if (head->size() > 0) {
      MergeSource src;
      src.rank = UINT64_MAX;
      src.min_ts = head->info().min_ts;
      src.max_ts = head->info().max_ts;
      src.block = std::move(head);
      sources.push_back(std::move(src));
    }
    snap = db_->GetSnapshot();
  }
  std::shared_ptr<const rocksdb::Snapshot> snapshot(
      snap, [db = db_.get()](const rocksdb::Snapshot* s) { db->ReleaseSnapshot(s); });
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;

  std::vector<int64_t> days;
  Status st = DaysWithData(tenant, DayOf(from_ns), DayOf(through_ns - 1), &days);
  if (!st.ok()) return NewEmptyIterator(st);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, index_cf_));
  std::shared_ptr<const std::vector<std::string>> literals;
  for (const std::string& lit : hints.required_literals) {
    if (lit.size() >= 3) {  // shorter literals cannot be ruled out by trigrams
      literals = std::make_shared<const std::vector<std::string>>(hints.required_literals);
      break;
    }
  }
  for (int64_t day : days) {
    std::string bp = BlockPrefix(tenant, day, series.id);
    for (it->Seek(bp); it->Valid() && StartsWith(View(it->key()), bp); it->Next()) {
      BlockInfo info;
      st = DecodeBlockInfo(View(it->value()), &info);
      if (!st.ok()) return NewEmptyIterator(st);
      if (!Overlaps(info.min_ts, info.max_ts, from_ns, through_ns)) continue;
      std::string_view key = View(it->key());
      MergeSource src;
      src.rank = DecodeFixed64BE(key.data() + key.size() - 8);
      src.min_ts = info.min_ts;
      src.max_ts = info.max_ts;
      src.load = [db = db_.get(), cf = blocks_cf_, key = std::string(key), info, literals,
                  snapshot](DecodedBlock* out) -> Status {
        rocksdb::PinnableSlice value;
        // Read at the snapshot: retention and deletes remove or rewrite blocks meanwhile. The
        // block carries its own checksum (verified below), so RocksDB's (a slow software CRC32C
        // in the Debian build) is skipped.
        rocksdb::ReadOptions block_ro;
        block_ro.snapshot = snapshot.get();
        block_ro.verify_checksums = false;
        rocksdb::Status rs = db->Get(block_ro, cf, key, &value);
        if (rs.IsNotFound()) return Status::Corruption("block missing for its index entry");
        FENRIR_RETURN_IF_ERROR(FromRocks(rs, "block: read"));
        std::string_view data(value.data(), value.size());
        if (literals) {
          bool may_contain = true;
          FENRIR_RETURN_IF_ERROR(BlockMayContainAll(data, *literals, &may_contain));
          if (!may_contain) return Status::OK();  // an empty block: skipped
        }
        // Lines stay compressed until the iterator stops on an entry of their page.
        FENRIR_RETURN_IF_ERROR(DecodeBlock(data, out, /*lazy_lines=*/true));
        const BlockInfo& got = out->info();
        if (got.entries != info.entries || got.min_ts != info.min_ts ||
            got.max_ts != info.max_ts) {
          return Status::Corruption("block disagrees with its index entry");
        }
        return Status::OK();
      };
      sources.push_back(std::move(src));
    }
    if (!it->status().ok()) return NewEmptyIterator(FromRocks(it->status(), "index: blocks"));
  }
  std::vector<DeleteSpan> deletes = ActiveDeletes(tenant, stream->labels, from_ns, through_ns);
  // Delete predicates test lines.
  const bool need_lines = hints.need_lines || !deletes.empty();
  return NewDeleteFilterIterator(
      NewMergeIterator(std::move(sources), from_ns, through_ns, direction, need_lines),
      std::move(deletes));
}

}  // namespace fenrir::storage
