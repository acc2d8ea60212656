#pragma once
// A Bloom filter of the byte trigrams of a block's lines, so a scan whose lines must contain a
// literal can skip a block without decompressing it (ScanHints::required_literals).
//
// Layout (storage/FORMAT.md, "Trigram filter"):
//   kind u8 = 1 | log2(bits) u8 | hashes u8 | bit array (2^log2 / 8 bytes)
// Trigrams never span two lines. Literals shorter than 3 bytes cannot be ruled out.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fenrir::storage {

// Collects the distinct trigrams of lines, then sizes and fills the filter (~10-20 bits per
// distinct trigram, 3 hashes: ~1-2% false positives per trigram). Thread-compatible; uses a
// 2 MiB thread-local scratch bitmap while alive, so keep one builder per thread at a time.
class TrigramFilterBuilder {
 public:
  // bits_per_trigram sizes the filter: m is the smallest power of two >= bits x distinct
  // trigrams (10: ~1-2% false positives per trigram, 5: ~8-15%).
  explicit TrigramFilterBuilder(int bits_per_trigram = 10);
  ~TrigramFilterBuilder();
  TrigramFilterBuilder(const TrigramFilterBuilder&) = delete;
  TrigramFilterBuilder& operator=(const TrigramFilterBuilder&) = delete;

  void AddLine(std::string_view line);
  // Appends the filter to *out.
  void Finish(std::string* out);

 private:
  int bits_per_trigram_;
  std::vector<uint32_t> distinct_;
  uint64_t* seen_;  // thread-local scratch, 2^24 bits
};

// False only when the filter proves some literal absent from every line of the block.
// A malformed filter answers true (the block checksum guards its bytes).
bool TrigramFilterMayContainAll(std::string_view filter,
                                const std::vector<std::string>& literals);

}  // namespace fenrir::storage
