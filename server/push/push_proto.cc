// Protobuf push decoding (logproto.PushRequest, server/push/push.proto) straight from the wire
// format: one pass, each line copied once into its RawEntry, no message objects in between
// (the generated parser allocated every message and string and then moved them out).
// Follows proto3 parsing rules: unknown fields are skipped, a repeated singular field keeps
// its last value, an embedded message given twice is merged.

#include <cstdint>
#include <string>
#include <string_view>

#include "server/push/push_request.h"

namespace fenrir::server {

namespace {

constexpr int kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5;

class Wire {
 public:
  explicit Wire(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}
  bool done() const { return p_ >= end_; }

  bool Varint(uint64_t* v) {
    uint64_t out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) return false;
      const uint8_t b = static_cast<uint8_t>(*p_++);
      out |= uint64_t{b & 0x7fu} << shift;
      if (b < 0x80) {
        *v = out;
        return true;
      }
    }
    return false;
  }
  // Reads a tag; false at a malformed one.
  bool Tag(uint32_t* field, int* type) {
    uint64_t t;
    if (!Varint(&t) || (t >> 3) == 0 || (t >> 3) > 0x1fffffff) return false;
    *field = static_cast<uint32_t>(t >> 3);
    *type = static_cast<int>(t & 7);
    return true;
  }
  bool Bytes(std::string_view* out) {
    uint64_t len;
    if (!Varint(&len) || len > static_cast<uint64_t>(end_ - p_)) return false;
    *out = {p_, static_cast<size_t>(len)};
    p_ += len;
    return true;
  }
  bool Skip(int type) {
    uint64_t v;
    std::string_view s;
    switch (type) {
      case kVarint: return Varint(&v);
      case kFixed64: return Advance(8);
      case kLen: return Bytes(&s);
      case kFixed32: return Advance(4);
      default: return false;  // groups (deprecated) and invalid wire types
    }
  }

 private:
  bool Advance(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    p_ += n;
    return true;
  }
  const char* p_;
  const char* end_;
};

Status Malformed() {
  return Status::InvalidArgument("proto: cannot parse invalid wire-format data");
}

bool ParseTimestamp(std::string_view in, int64_t* seconds, int32_t* nanos) {
  Wire w(in);
  while (!w.done()) {
    uint32_t f;
    int t;
    if (!w.Tag(&f, &t)) return false;
    uint64_t v;
    if (f == 1 && t == kVarint) {
      if (!w.Varint(&v)) return false;
      *seconds = static_cast<int64_t>(v);
    } else if (f == 2 && t == kVarint) {
      if (!w.Varint(&v)) return false;
      *nanos = static_cast<int32_t>(static_cast<uint32_t>(v));  // int32: low 32 bits
    } else if (!w.Skip(t)) {
      return false;
    }
  }
  return true;
}

bool ParseLabelPair(std::string_view in, storage::Label* out) {
  Wire w(in);
  while (!w.done()) {
    uint32_t f;
    int t;
    if (!w.Tag(&f, &t)) return false;
    std::string_view s;
    if ((f == 1 || f == 2) && t == kLen) {
      if (!w.Bytes(&s)) return false;
      (f == 1 ? out->name : out->value).assign(s);
    } else if (!w.Skip(t)) {
      return false;
    }
  }
  return true;
}

Status ParseEntry(std::string_view in, RawEntry* out) {
  Wire w(in);
  int64_t seconds = 0;
  int32_t nanos = 0;
  std::string_view line;
  while (!w.done()) {
    uint32_t f;
    int t;
    if (!w.Tag(&f, &t)) return Malformed();
    std::string_view s;
    if (f >= 1 && f <= 3 && t == kLen) {
      if (!w.Bytes(&s)) return Malformed();
      if (f == 1) {
        if (!ParseTimestamp(s, &seconds, &nanos)) return Malformed();
      } else if (f == 2) {
        line = s;
      } else {
        storage::Label label;
        if (!ParseLabelPair(s, &label)) return Malformed();
        out->metadata.push_back(std::move(label));
      }
    } else if (!w.Skip(t)) {
      return Malformed();
    }
  }
  // Loki's time.Unix(seconds, nanos).UnixNano() wraps past year 2262; such a timestamp is a
  // bad request here.
  if (__builtin_mul_overflow(seconds, int64_t{1'000'000'000}, &out->timestamp_ns) ||
      __builtin_add_overflow(out->timestamp_ns, int64_t{nanos}, &out->timestamp_ns)) {
    return Status::InvalidArgument("proto: timestamp out of range: seconds " +
                                   std::to_string(seconds) + ", nanos " + std::to_string(nanos));
  }
  out->line.assign(line);
  return Status::OK();
}

Status ParseStream(std::string_view in, RawStream* out) {
  // Count the entries first so the vector is allocated once.
  size_t entries = 0;
  {
    Wire w(in);
    while (!w.done()) {
      uint32_t f;
      int t;
      if (!w.Tag(&f, &t)) return Malformed();
      if (f == 2 && t == kLen) ++entries;
      if (!w.Skip(t)) return Malformed();
    }
  }
  out->entries.reserve(entries);
  Wire w(in);
  while (!w.done()) {
    uint32_t f;
    int t;
    w.Tag(&f, &t);  // validated by the first pass
    std::string_view s;
    if (f == 1 && t == kLen) {
      w.Bytes(&s);
      out->labels.assign(s);
    } else if (f == 2 && t == kLen) {
      w.Bytes(&s);
      out->entries.emplace_back();
      FENRIR_RETURN_IF_ERROR(ParseEntry(s, &out->entries.back()));
    } else {
      w.Skip(t);
    }
  }
  return Status::OK();
}

}  // namespace

Status DecodeProtoPush(std::string_view body, RawPush* out) {
  Wire w(body);
  while (!w.done()) {
    uint32_t f;
    int t;
    if (!w.Tag(&f, &t)) return Malformed();
    if (f == 1 && t == kLen) {
      std::string_view s;
      if (!w.Bytes(&s)) return Malformed();
      out->streams.emplace_back();
      FENRIR_RETURN_IF_ERROR(ParseStream(s, &out->streams.back()));
    } else if (!w.Skip(t)) {
      return Malformed();
    }
  }
  return Status::OK();
}

}  // namespace fenrir::server
