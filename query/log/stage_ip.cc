#include "query/log/stage_ip.h"

#include <arpa/inet.h>

#include <cstring>

#include "storage/labels.h"

namespace fenrir::query {

int IpAddr::Compare(const IpAddr& o) const {
  if (v6 != o.v6) return v6 ? 1 : -1;
  int c = std::memcmp(bytes.data(), o.bytes.data(), v6 ? 16 : 4);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

bool ParseIpAddr(std::string_view s, IpAddr* out) {
  if (s.empty() || s.size() > 64) return false;
  char buf[65];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  IpAddr a;
  if (s.find(':') == std::string_view::npos) {
    if (inet_pton(AF_INET, buf, a.bytes.data()) != 1) return false;
    a.v6 = false;
  } else {
    if (inet_pton(AF_INET6, buf, a.bytes.data()) != 1) return false;
    a.v6 = true;
  }
  *out = a;
  return true;
}

namespace {

Status InvalidPattern(std::string_view pattern) {
  return Status::InvalidArgument("ip: invalid pattern: " + storage::GoQuote(pattern));
}

bool ParseBits(std::string_view s, int max, int* bits) {
  if (s.empty() || s.size() > 3) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  *bits = v;
  return true;
}

void Mask(IpAddr* a, int bits) {
  int total = a->v6 ? 128 : 32;
  for (int i = bits; i < total; ++i) a->bytes[i / 8] &= static_cast<uint8_t>(~(0x80u >> (i % 8)));
}

bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsHex(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool InV4Set(unsigned char c) { return IsDigit(c) || c == '.'; }
bool InV6Set(unsigned char c) { return IsHex(c) || c == ':' || c == '.'; }

}  // namespace

Result<IpMatcher> IpMatcher::Make(std::string_view pattern) {
  IpMatcher m;
  if (ParseIpAddr(pattern, &m.lo_)) {
    m.kind_ = Kind::kAddr;
    return m;
  }
  size_t slash = pattern.find('/');
  if (slash != std::string_view::npos) {
    if (!ParseIpAddr(pattern.substr(0, slash), &m.lo_)) return InvalidPattern(pattern);
    if (!ParseBits(pattern.substr(slash + 1), m.lo_.v6 ? 128 : 32, &m.prefix_bits_)) {
      return InvalidPattern(pattern);
    }
    Mask(&m.lo_, m.prefix_bits_);
    m.kind_ = Kind::kPrefix;
    return m;
  }
  size_t dash = pattern.find('-');
  if (dash != std::string_view::npos) {
    if (!ParseIpAddr(pattern.substr(0, dash), &m.lo_) ||
        !ParseIpAddr(pattern.substr(dash + 1), &m.hi_) || m.lo_.v6 != m.hi_.v6 ||
        m.hi_.Compare(m.lo_) < 0) {
      return InvalidPattern(pattern);
    }
    m.kind_ = Kind::kRange;
    return m;
  }
  return InvalidPattern(pattern);
}

bool IpMatcher::Contains(const IpAddr& ip) const {
  switch (kind_) {
    case Kind::kAddr:
      return lo_.Compare(ip) == 0;
    case Kind::kRange:
      return lo_.Compare(ip) <= 0 && ip.Compare(hi_) <= 0;
    case Kind::kPrefix: {
      if (ip.v6 != lo_.v6) return false;
      IpAddr masked = ip;
      Mask(&masked, prefix_bits_);
      return masked.Compare(lo_) == 0;
    }
  }
  return false;
}

bool IpMatcher::MatchesIn(std::string_view line) const {
  const size_t n = line.size();
  auto at = [&](size_t i) { return static_cast<unsigned char>(line[i]); };
  // Tries the address starting at i made of the characters `in_set` accepts; returns the span
  // length to skip when it is not matched.
  auto try_at = [&](size_t i, bool (*in_set)(unsigned char), size_t* span) {
    size_t j = i;
    while (j < n && in_set(at(j))) ++j;
    *span = j - i;
    IpAddr ip;
    return ParseIpAddr(line.substr(i, j - i), &ip) && Contains(ip);
  };
  for (size_t i = 0; i < n; ++i) {
    if (i + 3 < n && IsDigit(at(i)) && (at(i + 1) == '.' || at(i + 2) == '.' || at(i + 3) == '.')) {
      size_t span;
      if (try_at(i, InV4Set, &span)) return true;
      i += span;
      continue;
    }
    if (i + 4 < n) {
      bool hint = (at(i) == ':' && at(i + 1) == ':' && IsHex(at(i + 2))) ||
                  (IsHex(at(i)) && at(i + 1) == ':') ||
                  (IsHex(at(i)) && IsHex(at(i + 1)) && at(i + 2) == ':') ||
                  (IsHex(at(i)) && IsHex(at(i + 1)) && IsHex(at(i + 2)) && at(i + 3) == ':') ||
                  (IsHex(at(i)) && IsHex(at(i + 1)) && IsHex(at(i + 2)) && IsHex(at(i + 3)) &&
                   at(i + 4) == ':');
      if (hint) {
        size_t span;
        if (try_at(i, InV6Set, &span)) return true;
        i += span;
        continue;
      }
    }
  }
  return false;
}

}  // namespace fenrir::query
