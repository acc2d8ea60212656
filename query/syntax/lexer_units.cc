// Duration and byte-size literals as Loki's lexer accepts them.

#include "base/go_duration.h"
#include "base/humanize_bytes.h"
#include "base/prom_duration.h"
#include "query/syntax/lexer.h"

namespace fenrir::query {

bool ParseDurationLiteral(std::string_view s, int64_t* ns) {
  auto d = ParsePromDuration(s);
  if (!d.ok()) d = ParseGoDuration(s);
  if (d.ok()) *ns = *d;
  return d.ok();
}

bool ParseBytesLiteral(std::string_view s, uint64_t* bytes) {
  auto b = ParseHumanBytes(s);
  if (b.ok()) *bytes = *b;
  return b.ok();
}

}  // namespace fenrir::query
