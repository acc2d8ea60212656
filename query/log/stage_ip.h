#pragma once
// Loki's ip() matcher, shared by the `|= ip("...")` line filter and the `label = ip("...")` label
// filter. A pattern is one address, a CIDR prefix or a range `a-b`, IPv4 or IPv6 (parsed as Go's
// net/netip does). Matching scans the text for every substring that looks like an address (Loki's
// IPv4/IPv6 prefix hints and character sets) and reports whether one of them is matched.
// Immutable; thread-safe.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace fenrir::query {

struct IpAddr {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4
  // Go's netip.Addr.Compare: IPv4 sorts before IPv6, then bytewise.
  int Compare(const IpAddr& o) const;
};

// Parses like Go's netip.ParseAddr (no zones). Returns false when `s` is not an address.
bool ParseIpAddr(std::string_view s, IpAddr* out);

class IpMatcher {
 public:
  // Errors: "ip: invalid pattern: \"...\"" as Loki reports it.
  static Result<IpMatcher> Make(std::string_view pattern);

  bool Contains(const IpAddr& ip) const;
  // True when some address found inside `text` is matched.
  bool MatchesIn(std::string_view text) const;

 private:
  enum class Kind { kAddr, kPrefix, kRange };
  Kind kind_ = Kind::kAddr;
  IpAddr lo_, hi_;   // kAddr: lo_; kRange: [lo_, hi_]; kPrefix: lo_ masked
  int prefix_bits_ = 0;
};

}  // namespace fenrir::query
