#include "storage/rocks_store.h"
#include "storage/rocks_status.h"

#include <rocksdb/options.h>
#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include <filesystem>

#include "storage/coding.h"
#include "storage/keys.h"
#include "storage/rocks_tsan.h"
#include "storage/wal_record.h"

namespace fenrir::storage {

namespace {
constexpr char kIndexCf[] = "index";
constexpr char kBlocksCf[] = "blocks";
constexpr char kWalCf[] = "wal";
constexpr char kWalDir[] = "fenrir-wal";  // WalLog segments, inside the RocksDB directory
}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  return RocksStore::Open(options);
}

Result<std::unique_ptr<Store>> RocksStore::Open(const StoreOptions& options) {
  if (options.dir.empty()) return Status::InvalidArgument("store: empty data directory");
  if (options.clock == nullptr) return Status::InvalidArgument("store: no clock");
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status::IOError("store: create " + options.dir + ": " + ec.message());

  rocksdb::DBOptions db_opts;
  db_opts.create_if_missing = true;
  db_opts.create_missing_column_families = true;
  db_opts.max_background_jobs = 2;
  db_opts.max_total_wal_size = 512ull << 20;
  db_opts.bytes_per_sync = 1 << 20;
  // RocksDB preallocates 4 MiB per MANIFEST; ours grows by a few KiB per flush or compaction,
  // and the preallocation is disk a small store pays for nothing.
  db_opts.manifest_preallocation_size = 64 << 10;
  // Memtables of all families together: past this RocksDB flushes the largest (RSS budget).
  db_opts.db_write_buffer_size = 64 << 20;

  // One block cache for index and blocks; Bloom filters spare block point reads (one per
  // block of a scan) the probes of SST files that do not hold the key.
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(32 << 20);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  auto table_factory = std::shared_ptr<rocksdb::TableFactory>(
      rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::ColumnFamilyOptions index_opts;
  index_opts.write_buffer_size = 16 << 20;
  index_opts.table_factory = table_factory;
  rocksdb::ColumnFamilyOptions blocks_opts;
  blocks_opts.compression = rocksdb::kNoCompression;  // blocks are zstd already
  blocks_opts.enable_blob_files = true;  // large values stay out of LSM compactions
  blocks_opts.min_blob_size = 4096;
  blocks_opts.enable_blob_garbage_collection = true;
  blocks_opts.write_buffer_size = 32 << 20;
  blocks_opts.table_factory = table_factory;
  rocksdb::ColumnFamilyOptions wal_opts;
  wal_opts.write_buffer_size = 4 << 20;  // cut markers only (records live in fenrir-wal/)
  wal_opts.compression = rocksdb::kNoCompression;
  // Flushed WAL records are mostly deleted already: compact at once so they leave the disk.
  wal_opts.level0_file_num_compaction_trigger = 1;

  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {kIndexCf, index_opts},
      {kBlocksCf, blocks_opts},
      {kWalCf, wal_opts},
  };
  std::unique_ptr<RocksStore> store(new RocksStore(options));
  rocksdb::DB* raw = nullptr;
  FENRIR_RETURN_IF_ERROR(
      FromRocks(rocksdb::DB::Open(db_opts, options.dir, cfs, &store->handles_, &raw),
                "store: open " + options.dir));
  store->db_.reset(WrapForTsan(raw));  // the DB itself outside ThreadSanitizer builds
  store->index_cf_ = store->handles_[1];
  store->blocks_cf_ = store->handles_[2];
  store->wal_cf_ = store->handles_[3];
  FENRIR_RETURN_IF_ERROR(store->LoadIndex());
  auto wal_log = WalLog::Open(options.dir + "/" + kWalDir, options.sync_writes);
  if (!wal_log.ok()) return wal_log.status();
  store->wal_log_ = std::move(*wal_log);
  FENRIR_RETURN_IF_ERROR(store->ReplayWal());
  FENRIR_RETURN_IF_ERROR(store->InitRetention());
  if (options.background_flush) store->cutter_ = std::thread([s = store.get()] { s->CutterLoop(); });
  return std::unique_ptr<Store>(std::move(store));
}

RocksStore::~RocksStore() {
  StopMaintenance();
  {
    std::lock_guard<std::mutex> l(cutter_mu_);
    stopping_ = true;
  }
  cutter_cv_.notify_all();
  if (cutter_.joinable()) cutter_.join();
  if (db_) {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close().PermitUncheckedError();
  }
}

Tenant* RocksStore::FindTenant(std::string_view tenant) {
  std::shared_lock<std::shared_mutex> l(tenants_mu_);
  auto it = tenants_.find(std::string(tenant));
  return it == tenants_.end() ? nullptr : it->second.get();
}

Tenant* RocksStore::GetOrCreateTenant(std::string_view tenant) {
  if (Tenant* t = FindTenant(tenant)) return t;
  std::unique_lock<std::shared_mutex> l(tenants_mu_);
  auto& slot = tenants_[std::string(tenant)];
  if (!slot) slot = std::make_unique<Tenant>();
  return slot.get();
}

std::shared_ptr<Stream> RocksStore::FindStream(std::string_view tenant, uint64_t id) {
  Tenant* t = FindTenant(tenant);
  if (!t) return nullptr;
  std::shared_lock<std::shared_mutex> l(t->mu);
  auto it = t->by_id.find(id);
  return it == t->by_id.end() ? nullptr : it->second;
}

std::shared_ptr<Stream> RocksStore::GetOrCreateStream(Tenant* t, std::string_view tenant,
                                                      const Labels& labels, bool* created) {
  const uint64_t hash = labels.Hash();
  *created = false;
  {
    std::shared_lock<std::shared_mutex> l(t->mu);
    for (uint64_t id = hash;; ++id) {
      auto it = t->by_id.find(id);
      if (it == t->by_id.end()) break;
      if (it->second->labels == labels) return it->second;
    }
  }
  std::unique_lock<std::shared_mutex> l(t->mu);
  for (uint64_t id = hash;; ++id) {  // probe again: another push may have created it
    auto it = t->by_id.find(id);
    if (it == t->by_id.end()) {
      auto s = std::make_shared<Stream>(std::string(tenant), id, labels);
      t->by_id.emplace(id, s);
      streams_.fetch_add(1, std::memory_order_relaxed);
      *created = true;
      return s;
    }
    if (it->second->labels == labels) return it->second;
  }
}

std::vector<std::shared_ptr<Stream>> RocksStore::AllStreams() {
  std::vector<std::shared_ptr<Stream>> out;
  std::shared_lock<std::shared_mutex> l(tenants_mu_);
  for (auto& [name, t] : tenants_) {
    std::shared_lock<std::shared_mutex> tl(t->mu);
    for (auto& [id, s] : t->by_id) out.push_back(s);
  }
  return out;
}

Status RocksStore::LoadIndex() {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_cf_));
  uint64_t max_seq = 0;
  for (it->SeekToFirst(); it->Valid();) {
    std::string_view key(it->key().data(), it->key().size());
    std::string_view tenant, rest;
    int64_t day;
    char tag;
    if (!ParseIndexKey(key, &tenant, &day, &tag, &rest)) {
      return Status::Corruption("index: malformed key");
    }
    if (tag == kPostingTag) {  // not needed to rebuild the registry: skip the whole range
      std::string next = PartitionPrefix(tenant, day);
      next.push_back(kPostingTag + 1);
      it->Seek(next);
      continue;
    }
    if (tag == kBlockTag) {
      if (rest.size() != 16) return Status::Corruption("index: malformed block key");
      max_seq = std::max(max_seq, DecodeFixed64BE(rest.data() + 8));
      blocks_.fetch_add(1, std::memory_order_relaxed);
    } else if (tag == kSeriesTag) {
      if (rest.size() != 8) return Status::Corruption("index: malformed series key");
      uint64_t id = DecodeFixed64BE(rest.data());
      std::string_view value(it->value().data(), it->value().size());
      Labels labels;
      if (!DecodeLabels(&value, &labels)) return Status::Corruption("index: malformed labels");
      Tenant* t = GetOrCreateTenant(tenant);
      auto& slot = t->by_id[id];
      if (!slot) {
        slot = std::make_shared<Stream>(std::string(tenant), id, std::move(labels));
        streams_.fetch_add(1, std::memory_order_relaxed);
      }
      slot->days.insert(day);
    }
    it->Next();
  }
  next_block_seq_ = max_seq + 1;
  return FromRocks(it->status(), "index: load");
}

Status RocksStore::ReplayWal() {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), wal_cf_));
  // Cut markers first: entries of a stream in records up to its marker are in blocks.
  std::unordered_map<Stream*, uint64_t> cut_through;
  const std::string cut_prefix(1, kWalCutTag);
  for (it->Seek(cut_prefix); it->Valid() && it->key().starts_with(cut_prefix); it->Next()) {
    std::string_view tenant;
    uint64_t id;
    if (!ParseWalCutKey({it->key().data(), it->key().size()}, &tenant, &id) ||
        it->value().size() != 8) {
      return Status::Corruption("wal: malformed cut marker");
    }
    if (std::shared_ptr<Stream> s = FindStream(tenant, id)) {
      cut_through[s.get()] = DecodeFixed64(it->value().data());
    }
  }
  FENRIR_RETURN_IF_ERROR(FromRocks(it->status(), "wal: cut markers"));

  uint64_t max_seq = 0, min_seq = 0;
  const int64_t now = options_.clock->NowNanos();
  std::vector<Stream*> touched;
  auto apply = [&](uint64_t seq, std::string_view value) -> Status {
    if (min_seq == 0) min_seq = seq;
    max_seq = std::max(max_seq, seq);
    std::string_view tenant;
    uint64_t current_id = 0;
    std::shared_ptr<Stream> s;
    bool skip = false;
    Status missing;
    FENRIR_RETURN_IF_ERROR(ReadWalRecord(
        value, &tenant, [&](uint64_t id, int64_t ts, std::string_view line, const Labels& md) {
          if (!s || id != current_id) {
            current_id = id;
            s = FindStream(tenant, id);
            if (!s) {
              missing = Status::Corruption("wal: record for a stream missing from the index");
              return;
            }
            auto cut = cut_through.find(s.get());
            skip = cut != cut_through.end() && seq <= cut->second;
          }
          if (!s || skip) return;
          // Single-threaded at open: no push or read runs yet, the lock is for form.
          std::lock_guard<std::mutex> l(s->mu);
          if (s->head.empty()) {
            s->head_opened_ns = now;
            s->head_wal_min_seq = seq;
            head_streams_.fetch_add(1, std::memory_order_relaxed);
            touched.push_back(s.get());
          }
          uint64_t before = s->head.memory_bytes();
          s->head.Append(ts, line, md);
          head_bytes_.fetch_add(s->head.memory_bytes() - before, std::memory_order_relaxed);
          s->head_wal_max_seq = seq;
        }));
    return missing;
  };
  // Records of format 2 (in the wal family), older than every record of the log files.
  const std::string record_prefix(1, kWalRecordTag);
  for (it->Seek(record_prefix); it->Valid() && it->key().starts_with(record_prefix);
       it->Next()) {
    uint64_t seq;
    if (!ParseWalRecordKey({it->key().data(), it->key().size()}, &seq)) {
      return Status::Corruption("wal: malformed key");
    }
    legacy_wal_records_ = true;
    FENRIR_RETURN_IF_ERROR(apply(seq, {it->value().data(), it->value().size()}));
  }
  FENRIR_RETURN_IF_ERROR(FromRocks(it->status(), "wal: replay"));
  FENRIR_RETURN_IF_ERROR(wal_log_->Replay(apply));
  FENRIR_RETURN_IF_ERROR(wal_log_->StartWriting(max_seq + 1));
  wal_truncated_ = min_seq;
  for (Stream* s : touched) {
    std::lock_guard<std::mutex> l(s->mu);
    if (s->head.raw_bytes() >= options_.block_target_bytes) FENRIR_RETURN_IF_ERROR(CutLocked(s));
  }
  return Status::OK();
}

StoreMetrics RocksStore::Metrics() {
  StoreMetrics m;
  m.streams = streams_.load(std::memory_order_relaxed);
  m.head_streams = head_streams_.load(std::memory_order_relaxed);
  m.blocks = blocks_.load(std::memory_order_relaxed);
  m.head_bytes = head_bytes_.load(std::memory_order_relaxed);
  for (auto* cf : handles_) {
    uint64_t v = 0;
    if (db_->GetIntProperty(cf, "rocksdb.live-sst-files-size", &v)) m.disk_bytes += v;
    if (db_->GetIntProperty(cf, "rocksdb.live-blob-file-size", &v)) m.disk_bytes += v;
  }
  m.disk_bytes += wal_log_->disk_bytes();
  rocksdb::VectorLogPtr wal_files;
  if (db_->GetSortedWalFiles(wal_files).ok()) {
    for (const auto& f : wal_files) m.disk_bytes += f->SizeFileBytes();
  }
  return m;
}

}  // namespace fenrir::storage
