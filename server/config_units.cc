#include "server/config_units.h"

#include <cctype>
#include <cstdlib>
#include <string>

#include "base/go_duration.h"
#include "base/prom_duration.h"

namespace fenrir::server {

namespace {
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

Result<int64_t> ParseConfigDuration(std::string_view s) {
  auto p = ParsePromDuration(s);
  if (p.ok()) return p;
  auto g = ParseGoDuration(s);
  if (g.ok()) return g;
  return Status::InvalidArgument("invalid duration \"" + std::string(s) + "\"");
}

Result<uint64_t> ParseByteSize(std::string_view s) {
  std::string text(s);
  size_t i = 0;
  while (i < text.size() && (IsDigit(text[i]) || text[i] == '.')) ++i;
  if (i == 0) return Status::InvalidArgument("invalid size \"" + text + "\"");
  double v = std::strtod(text.substr(0, i).c_str(), nullptr);
  std::string unit;
  for (size_t k = i; k < text.size(); ++k) {
    if (text[k] == ' ') continue;
    unit.push_back(static_cast<char>(toupper(static_cast<unsigned char>(text[k]))));
  }
  double mult;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "KB" || unit == "KIB" || unit == "K") mult = 1024.0;
  else if (unit == "MB" || unit == "MIB" || unit == "M") mult = 1024.0 * 1024;
  else if (unit == "GB" || unit == "GIB" || unit == "G") mult = 1024.0 * 1024 * 1024;
  else if (unit == "TB" || unit == "TIB" || unit == "T") mult = 1024.0 * 1024 * 1024 * 1024;
  else return Status::InvalidArgument("invalid size \"" + text + "\"");
  // 2^64 and up (or inf) do not fit: converting them would be UB.
  if (!(v * mult < 18446744073709551616.0)) {
    return Status::InvalidArgument("invalid size \"" + text + "\": too large");
  }
  return static_cast<uint64_t>(v * mult);
}

}  // namespace fenrir::server
