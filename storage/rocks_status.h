#pragma once
// Maps a RocksDB status to a Fenrir Status (corruption stays corruption, the rest is I/O).

#include <rocksdb/status.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace fenrir::storage {

inline Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::OK();
  if (s.IsCorruption()) return Status::Corruption(std::string(what) + ": " + s.ToString());
  return Status::IOError(std::string(what) + ": " + s.ToString());
}

}  // namespace fenrir::storage
