#include "storage/wal_log.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "storage/coding.h"

namespace fenrir::storage {

namespace {

// Record framing: length u32 LE | checksum u32 LE | seq u64 LE | record bytes.
// checksum = low 32 bits of XXH3_64(record bytes, seed = seq).
constexpr size_t kHeaderBytes = 16;
constexpr char kSuffix[] = ".wal";

uint32_t Checksum(uint64_t seq, std::string_view record) {
  return static_cast<uint32_t>(XXH3_64bits_withSeed(record.data(), record.size(), seq));
}

Status Errno(const std::string& what) {
  return Status::IOError(what + ": " + std::strerror(errno));
}

}  // namespace

std::string WalLog::PathOf(uint64_t first_seq) const {
  char name[32];
  snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(first_seq));
  return dir_ + "/" + name + kSuffix;
}

Result<std::unique_ptr<WalLog>> WalLog::Open(const std::string& dir, bool sync) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("wal: create " + dir + ": " + ec.message());
  std::unique_ptr<WalLog> log(new WalLog(dir, sync));
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 20 + sizeof(kSuffix) - 1 || name.substr(20) != kSuffix) continue;
    if (name.find_first_not_of("0123456789") != 20) continue;
    log->segments_.push_back({std::stoull(name.substr(0, 20)), entry.path().string()});
  }
  if (ec) return Status::IOError("wal: list " + dir + ": " + ec.message());
  std::sort(log->segments_.begin(), log->segments_.end(),
            [](const Segment& a, const Segment& b) { return a.first_seq < b.first_seq; });
  return log;
}

WalLog::~WalLog() {
  if (fd_ >= 0) {
    if (sync_) fdatasync(fd_);
    close(fd_);
  }
}

Status WalLog::Replay(const std::function<Status(uint64_t, std::string_view)>& fn) {
  std::string data;
  for (size_t i = 0; i < segments_.size(); ++i) {
    const Segment& seg = segments_[i];
    const bool last = i + 1 == segments_.size();
    int fd = open(seg.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Errno("wal: open " + seg.path);
    data.clear();
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) data.append(buf, static_cast<size_t>(n));
    const int read_errno = errno;
    close(fd);
    if (n < 0) {
      errno = read_errno;
      return Errno("wal: read " + seg.path);
    }
    size_t pos = 0;
    uint64_t prev = 0;
    while (pos < data.size()) {
      bool ok = data.size() - pos >= kHeaderBytes;
      uint32_t len = 0;
      uint64_t seq = 0;
      if (ok) {
        len = DecodeFixed32(data.data() + pos);
        seq = DecodeFixed64(data.data() + pos + 8);
        ok = data.size() - pos - kHeaderBytes >= len &&
             Checksum(seq, {data.data() + pos + kHeaderBytes, len}) ==
                 DecodeFixed32(data.data() + pos + 4) &&
             seq >= seg.first_seq && seq > prev;
      }
      if (!ok) {
        if (!last) return Status::Corruption("wal: damaged record in " + seg.path);
        // A write cut short by a crash: drop it (it was never acknowledged).
        if (truncate(seg.path.c_str(), static_cast<off_t>(pos)) != 0) {
          return Errno("wal: truncate " + seg.path);
        }
        break;
      }
      FENRIR_RETURN_IF_ERROR(fn(seq, {data.data() + pos + kHeaderBytes, len}));
      prev = seq;
      max_seq_ = std::max(max_seq_, seq);
      pos += kHeaderBytes + len;
    }
  }
  return Status::OK();
}

Status WalLog::OpenSegment() {
  const uint64_t first = next_seq_.load(std::memory_order_relaxed);
  std::string path = PathOf(first);
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("wal: create " + path);
  if (sync_) {  // the new file's directory entry must survive a power loss too
    int dfd = open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
  }
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
  offset_ = 0;
  if (segments_.empty() || segments_.back().first_seq != first) {
    segments_.push_back({first, std::move(path)});
  }
  return Status::OK();
}

Status WalLog::StartWriting(uint64_t next_seq) {
  std::lock_guard<std::mutex> l(mu_);
  next_seq_.store(std::max(next_seq, max_seq_ + 1), std::memory_order_release);
  return OpenSegment();
}

Status WalLog::Rotate() {
  std::lock_guard<std::mutex> sl(sync_mu_);
  std::lock_guard<std::mutex> l(mu_);
  if (offset_ < kSegmentBytes) return Status::OK();  // another appender rotated already
  if (sync_ && fdatasync(fd_) != 0) return Errno("wal: sync");
  synced_ = appended_.load(std::memory_order_relaxed);
  return OpenSegment();
}

Result<uint64_t> WalLog::Append(std::string_view record) {
  if (record.size() > UINT32_MAX) return Status::InvalidArgument("wal: record too large");
  uint64_t seq, end;
  bool full;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (fd_ < 0) return Status::Internal("wal: not open for writing");
    seq = next_seq_.load(std::memory_order_relaxed);
    std::string header;
    header.reserve(kHeaderBytes);
    PutFixed32(&header, static_cast<uint32_t>(record.size()));
    PutFixed32(&header, Checksum(seq, record));
    PutFixed64(&header, seq);
    iovec iov[2] = {{header.data(), kHeaderBytes},
                    {const_cast<char*>(record.data()), record.size()}};
    size_t total = kHeaderBytes + record.size(), done = 0;
    while (done < total) {
      ssize_t n = writev(fd_, iov, 2);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        Status st = Errno("wal: write");
        // Leave no partial record behind (replay would stop at it).
        if (ftruncate(fd_, static_cast<off_t>(offset_)) != 0 ||
            lseek(fd_, static_cast<off_t>(offset_), SEEK_SET) < 0) {
          // The segment's tail is now unknown: continue in a fresh one.
          (void)OpenSegment();
        }
        return st;
      }
      done += static_cast<size_t>(n);
      // Advance the iovecs past what was written.
      size_t skip = static_cast<size_t>(n);
      for (iovec& v : iov) {
        size_t k = std::min(skip, v.iov_len);
        v.iov_base = static_cast<char*>(v.iov_base) + k;
        v.iov_len -= k;
        skip -= k;
      }
    }
    offset_ += total;
    next_seq_.store(seq + 1, std::memory_order_release);
    end = appended_.fetch_add(total, std::memory_order_relaxed) + total;
    full = offset_ >= kSegmentBytes;
  }
  if (sync_) {
    std::lock_guard<std::mutex> sl(sync_mu_);
    if (synced_ < end) {  // one sync covers every append before it (group commit)
      int fd;
      uint64_t target;
      {
        std::lock_guard<std::mutex> l(mu_);
        fd = fd_;
        target = appended_.load(std::memory_order_relaxed);
      }
      // fd_ only changes under sync_mu_ (Rotate), which this thread holds.
      if (fdatasync(fd) != 0) return Errno("wal: sync");
      synced_ = target;
    }
  }
  if (full) FENRIR_RETURN_IF_ERROR(Rotate());
  return seq;
}

Status WalLog::Truncate(uint64_t low) {
  std::vector<std::string> doomed;
  {
    std::lock_guard<std::mutex> sl(sync_mu_);  // OpenSegment swaps fd_
    std::lock_guard<std::mutex> l(mu_);
    // No record at or past `low` yet and none below needed: the segment being written is
    // dead too, so continue in a fresh one and let it go with the others.
    if (offset_ > 0 && next_seq_.load(std::memory_order_relaxed) <= low) {
      if (sync_ && fdatasync(fd_) != 0) return Errno("wal: sync");
      synced_ = appended_.load(std::memory_order_relaxed);
      FENRIR_RETURN_IF_ERROR(OpenSegment());
    }
    size_t n = 0;
    // Segment i holds seqs [first_i, first_{i+1}); the last one is being written.
    while (n + 1 < segments_.size() && segments_[n + 1].first_seq <= low) ++n;
    for (size_t i = 0; i < n; ++i) doomed.push_back(std::move(segments_[i].path));
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<ptrdiff_t>(n));
  }
  for (const std::string& path : doomed) {
    if (unlink(path.c_str()) != 0 && errno != ENOENT) return Errno("wal: remove " + path);
  }
  return Status::OK();
}

uint64_t WalLog::disk_bytes() const {
  std::error_code ec;
  uint64_t total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    auto size = entry.file_size(ec);
    if (!ec) total += size;
  }
  return total;
}

}  // namespace fenrir::storage
