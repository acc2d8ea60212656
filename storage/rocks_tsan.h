#pragma once
// ThreadSanitizer builds only (-DFENRIR_TSAN=ON, tests/sanitize/tsan_test.sh). RocksDB comes from
// Debian without TSan instrumentation. Its group commit lets whichever writer leads a group copy
// the other writers' WriteBatch bytes (and reuse a merge buffer another leader grew), handing
// them over through atomics TSan cannot see; the copies run in std::string code that TSan
// attributes to the calling Fenrir frame, so it reported two concurrent writes (a push and a
// retention pass) as a race on RocksDB's own memory. WrapForTsan runs every DB::Write with the
// calling thread's memory accesses ignored, which makes RocksDB's internals uniformly invisible
// (as the rest of the uninstrumented library already is); Fenrir's own accesses stay checked.
// In every other build it returns `db` unchanged.

#include <rocksdb/db.h>

namespace fenrir::storage {

// Takes ownership of `db`; the result owns it.
rocksdb::DB* WrapForTsan(rocksdb::DB* db);

}  // namespace fenrir::storage
