#include "server/disk_guard.h"

#include <sys/statvfs.h>

#include <algorithm>

namespace fenrir::server {

DiskGuard::DiskGuard(std::string dir, uint64_t reserve_bytes)
    : dir_(std::move(dir)), reserve_bytes_(reserve_bytes) {}

Status DiskGuard::Check(uint64_t incoming_bytes) const {
  if (reserve_bytes_ == 0) return Status::OK();
  struct statvfs fs {};
  if (statvfs(dir_.c_str(), &fs) != 0) return Status::OK();
  const uint64_t size = static_cast<uint64_t>(fs.f_blocks) * fs.f_frsize;
  const uint64_t free = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  const uint64_t reserve = std::min(reserve_bytes_, size / 10);
  const uint64_t need = reserve + incoming_bytes * kPushWriteAmplification;
  if (free >= need) return Status::OK();
  return Status::IOError("push: not enough disk space in " + dir_ + ": " +
                         std::to_string(free) + " bytes free, " + std::to_string(need) +
                         " needed (incoming data plus a reserve of " + std::to_string(reserve) +
                         " bytes, fenrir.min_free_disk_bytes)");
}

}  // namespace fenrir::server
