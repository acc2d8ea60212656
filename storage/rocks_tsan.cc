#include "storage/rocks_tsan.h"

#if defined(__SANITIZE_THREAD__)
#include <rocksdb/utilities/stackable_db.h>

extern "C" void __tsan_ignore_thread_begin();
extern "C" void __tsan_ignore_thread_end();
#endif

namespace fenrir::storage {

#if defined(__SANITIZE_THREAD__)
namespace {

class TsanIgnoringWriteDb : public rocksdb::StackableDB {
 public:
  explicit TsanIgnoringWriteDb(rocksdb::DB* db) : rocksdb::StackableDB(db) {}

  using rocksdb::StackableDB::Write;
  rocksdb::Status Write(const rocksdb::WriteOptions& options,
                        rocksdb::WriteBatch* batch) override {
    __tsan_ignore_thread_begin();
    rocksdb::Status s = rocksdb::StackableDB::Write(options, batch);
    __tsan_ignore_thread_end();
    return s;
  }
};

}  // namespace

rocksdb::DB* WrapForTsan(rocksdb::DB* db) { return new TsanIgnoringWriteDb(db); }
#else
rocksdb::DB* WrapForTsan(rocksdb::DB* db) { return db; }
#endif

}  // namespace fenrir::storage
