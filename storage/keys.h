#pragma once
// Key layouts of the three column families (see storage/FORMAT.md, "Keys").
//
// Every index and block key starts with the partition prefix  tenant 0x00 day(u32 BE)
// so that retention can drop a whole (tenant, day) with one DeleteRange per column family.

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/labels.h"

namespace fenrir::storage {

constexpr int64_t kNanosPerDay = 86'400'000'000'000;

// UTC day number of a timestamp (floor division, so negative times work).
inline int64_t DayOf(int64_t ts_ns) {
  int64_t d = ts_ns / kNanosPerDay;
  if (ts_ns % kNanosPerDay < 0) --d;
  return d;
}

// Record kinds inside a partition.
constexpr char kSeriesTag = 'S';   // P 'S' id            -> labels
constexpr char kPostingTag = 'P';  // P 'P' name 0 value id -> ""
constexpr char kBlockTag = 'B';    // P 'B' id seq        -> BlockMeta (index) / block (blocks CF)

// tenant 0x00 day(u32 BE, biased by 2^31).
std::string PartitionPrefix(std::string_view tenant, int64_t day);

std::string SeriesKey(std::string_view tenant, int64_t day, uint64_t id);
// Prefix of all series keys of one partition.
std::string SeriesPrefix(std::string_view tenant, int64_t day);

std::string PostingKey(std::string_view tenant, int64_t day, std::string_view name,
                       std::string_view value, uint64_t id);
// Prefix of the postings of `name` (value empty and exact=false) or of name=value
// (exact=true; callers must still check that the key is exactly prefix + 8 bytes).
std::string PostingPrefix(std::string_view tenant, int64_t day, std::string_view name,
                          std::string_view value, bool exact);
// Splits the part of a posting key after `name_prefix` (= PostingPrefix(..., "", false))
// into value and id. False when malformed.
bool ParsePostingSuffix(std::string_view suffix, std::string_view* value, uint64_t* id);

std::string BlockKey(std::string_view tenant, int64_t day, uint64_t id, uint64_t seq);
// Prefix of the block keys of one series in one partition.
std::string BlockPrefix(std::string_view tenant, int64_t day, uint64_t id);

// WAL column family (storage/FORMAT.md, "WAL"):
//   'R' seq(u64 BE)                 -> the WAL record of one push (all its streams)
//   'C' tenant 0x00 id(u64 BE)      -> u64 LE: newest record seq whose entries of the stream are
//                                      in blocks (replay skips them)
constexpr char kWalRecordTag = 'R';
constexpr char kWalCutTag = 'C';
std::string WalRecordKey(uint64_t seq);
// Splits a record key. False when malformed.
bool ParseWalRecordKey(std::string_view key, uint64_t* seq);
std::string WalCutKey(std::string_view tenant, uint64_t id);
// Splits a cut-marker key. False when malformed.
bool ParseWalCutKey(std::string_view key, std::string_view* tenant, uint64_t* id);

// Splits any index key into tenant, day, tag and the rest. False when malformed.
bool ParseIndexKey(std::string_view key, std::string_view* tenant, int64_t* day, char* tag,
                   std::string_view* rest);

// Smallest key greater than every key with this prefix (prefix with its last byte bumped).
std::string PrefixSuccessor(std::string prefix);

// Label sets in values: varint count, then length-prefixed name and value per label.
void EncodeLabels(const Labels& labels, std::string* dst);
bool DecodeLabels(std::string_view* in, Labels* out);

}  // namespace fenrir::storage
