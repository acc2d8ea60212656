#include "storage/trigram_filter.h"

#include <memory>

namespace fenrir::storage {

namespace {

constexpr uint8_t kFilterKind = 1;
constexpr int kHashes = 3;
constexpr int kMinLog2 = 9;   // 64 bytes
constexpr int kMaxLog2 = 20;  // 128 KiB
constexpr size_t kScratchWords = (1u << 24) / 64;

inline uint32_t Trigram(const unsigned char* p) {
  return (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
}

// Double hashing: bit i = h1 + i * h2.
inline void Bits(uint32_t trigram, int log2, uint32_t out[kHashes]) {
  uint64_t h = (trigram + 1ull) * 0x9E3779B97F4A7C15ull;
  h ^= h >> 29;
  uint32_t h1 = static_cast<uint32_t>(h), h2 = static_cast<uint32_t>(h >> 32) | 1;
  uint32_t mask = (1u << log2) - 1;
  for (int i = 0; i < kHashes; ++i) out[i] = (h1 + i * h2) & mask;
}

uint64_t* Scratch() {
  thread_local std::unique_ptr<uint64_t[]> bits(new uint64_t[kScratchWords]());
  return bits.get();
}

}  // namespace

TrigramFilterBuilder::TrigramFilterBuilder(int bits_per_trigram)
    : bits_per_trigram_(bits_per_trigram), seen_(Scratch()) {}

TrigramFilterBuilder::~TrigramFilterBuilder() {
  for (uint32_t t : distinct_) seen_[t >> 6] = 0;  // leave the scratch clean for the next block
}

void TrigramFilterBuilder::AddLine(std::string_view line) {
  if (line.size() < 3) return;
  const auto* p = reinterpret_cast<const unsigned char*>(line.data());
  const size_t n = line.size() - 2;
  for (size_t i = 0; i < n; ++i) {
    uint32_t t = Trigram(p + i);
    uint64_t bit = uint64_t{1} << (t & 63);
    uint64_t& word = seen_[t >> 6];
    if (!(word & bit)) {
      word |= bit;
      distinct_.push_back(t);
    }
  }
}

void TrigramFilterBuilder::Finish(std::string* out) {
  int log2 = kMinLog2;
  while (log2 < kMaxLog2 && (uint64_t{1} << log2) < distinct_.size() * bits_per_trigram_) ++log2;
  size_t start = out->size();
  out->push_back(static_cast<char>(kFilterKind));
  out->push_back(static_cast<char>(log2));
  out->push_back(static_cast<char>(kHashes));
  out->append((size_t{1} << log2) / 8, '\0');
  auto* bits = reinterpret_cast<unsigned char*>(out->data() + start + 3);
  uint32_t idx[kHashes];
  for (uint32_t t : distinct_) {
    Bits(t, log2, idx);
    for (uint32_t b : idx) bits[b >> 3] |= static_cast<unsigned char>(1u << (b & 7));
  }
}

bool TrigramFilterMayContainAll(std::string_view filter,
                                const std::vector<std::string>& literals) {
  if (filter.size() < 3 || static_cast<uint8_t>(filter[0]) != kFilterKind) return true;
  int log2 = static_cast<uint8_t>(filter[1]);
  if (log2 < kMinLog2 || log2 > kMaxLog2 || static_cast<uint8_t>(filter[2]) != kHashes ||
      filter.size() != 3 + (size_t{1} << log2) / 8) {
    return true;
  }
  const auto* bits = reinterpret_cast<const unsigned char*>(filter.data() + 3);
  uint32_t idx[kHashes];
  for (const std::string& lit : literals) {
    if (lit.size() < 3) continue;
    const auto* p = reinterpret_cast<const unsigned char*>(lit.data());
    for (size_t i = 0; i + 2 < lit.size(); ++i) {
      Bits(Trigram(p + i), log2, idx);
      for (uint32_t b : idx) {
        if (!(bits[b >> 3] & (1u << (b & 7)))) return false;
      }
    }
  }
  return true;
}

}  // namespace fenrir::storage
