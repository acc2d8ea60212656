#include "storage/keys.h"

#include "storage/coding.h"

namespace fenrir::storage {

namespace {
constexpr int64_t kDayBias = int64_t{1} << 31;

uint32_t EncodeDay(int64_t day) {
  int64_t biased = day + kDayBias;
  if (biased < 0) biased = 0;
  if (biased > 0xffffffffLL) biased = 0xffffffffLL;
  return static_cast<uint32_t>(biased);
}
}  // namespace

std::string PartitionPrefix(std::string_view tenant, int64_t day) {
  std::string k;
  k.reserve(tenant.size() + 32);
  k.append(tenant);
  k.push_back('\0');
  PutFixed32BE(&k, EncodeDay(day));
  return k;
}

std::string SeriesPrefix(std::string_view tenant, int64_t day) {
  std::string k = PartitionPrefix(tenant, day);
  k.push_back(kSeriesTag);
  return k;
}

std::string SeriesKey(std::string_view tenant, int64_t day, uint64_t id) {
  std::string k = SeriesPrefix(tenant, day);
  PutFixed64BE(&k, id);
  return k;
}

std::string PostingPrefix(std::string_view tenant, int64_t day, std::string_view name,
                          std::string_view value, bool exact) {
  std::string k = PartitionPrefix(tenant, day);
  k.push_back(kPostingTag);
  k.append(name);
  k.push_back('\0');
  if (exact) k.append(value);
  return k;
}

std::string PostingKey(std::string_view tenant, int64_t day, std::string_view name,
                       std::string_view value, uint64_t id) {
  std::string k = PostingPrefix(tenant, day, name, value, true);
  PutFixed64BE(&k, id);
  return k;
}

bool ParsePostingSuffix(std::string_view suffix, std::string_view* value, uint64_t* id) {
  if (suffix.size() < 8) return false;
  *value = suffix.substr(0, suffix.size() - 8);
  *id = DecodeFixed64BE(suffix.data() + suffix.size() - 8);
  return true;
}

std::string BlockPrefix(std::string_view tenant, int64_t day, uint64_t id) {
  std::string k = PartitionPrefix(tenant, day);
  k.push_back(kBlockTag);
  PutFixed64BE(&k, id);
  return k;
}

std::string BlockKey(std::string_view tenant, int64_t day, uint64_t id, uint64_t seq) {
  std::string k = BlockPrefix(tenant, day, id);
  PutFixed64BE(&k, seq);
  return k;
}

std::string WalRecordKey(uint64_t seq) {
  std::string k(1, kWalRecordTag);
  PutFixed64BE(&k, seq);
  return k;
}

bool ParseWalRecordKey(std::string_view key, uint64_t* seq) {
  if (key.size() != 9 || key[0] != kWalRecordTag) return false;
  *seq = DecodeFixed64BE(key.data() + 1);
  return true;
}

std::string WalCutKey(std::string_view tenant, uint64_t id) {
  std::string k;
  k.reserve(tenant.size() + 10);
  k.push_back(kWalCutTag);
  k.append(tenant);
  k.push_back('\0');
  PutFixed64BE(&k, id);
  return k;
}

bool ParseWalCutKey(std::string_view key, std::string_view* tenant, uint64_t* id) {
  if (key.size() < 10 || key[0] != kWalCutTag || key[key.size() - 9] != '\0') return false;
  *tenant = key.substr(1, key.size() - 10);
  *id = DecodeFixed64BE(key.data() + key.size() - 8);
  return true;
}

bool ParseIndexKey(std::string_view key, std::string_view* tenant, int64_t* day, char* tag,
                   std::string_view* rest) {
  size_t zero = key.find('\0');
  if (zero == std::string_view::npos || key.size() < zero + 6) return false;
  *tenant = key.substr(0, zero);
  *day = static_cast<int64_t>(DecodeFixed32BE(key.data() + zero + 1)) - kDayBias;
  *tag = key[zero + 5];
  *rest = key.substr(zero + 6);
  return true;
}

std::string PrefixSuccessor(std::string prefix) {
  while (!prefix.empty()) {
    auto& c = reinterpret_cast<unsigned char&>(prefix.back());
    if (c != 0xff) {
      ++c;
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;  // every key: caller treats empty as "no upper bound"
}

void EncodeLabels(const Labels& labels, std::string* dst) {
  PutVarint64(dst, labels.size());
  for (const auto& l : labels) {
    PutLengthPrefixed(dst, l.name);
    PutLengthPrefixed(dst, l.value);
  }
}

bool DecodeLabels(std::string_view* in, Labels* out) {
  uint64_t n;
  if (!GetVarint64(in, &n) || n > in->size()) return false;
  std::vector<Label> items;
  items.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view name, value;
    if (!GetLengthPrefixed(in, &name) || !GetLengthPrefixed(in, &value)) return false;
    items.push_back(Label{std::string(name), std::string(value)});
  }
  *out = Labels(std::move(items));
  return true;
}

}  // namespace fenrir::storage
