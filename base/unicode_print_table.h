#pragma once
// The printable code points of Unicode 15.0.0 as Go's unicode.IsPrint defines them (categories
// L, M, N, P, S and U+0020), as sorted, disjoint, inclusive ranges. Generated into
// unicode_print_table.cc by scripts/gen_unicode_print.py; read through IsPrintRune (go_quote.h).

#include <cstddef>
#include <cstdint>

namespace fenrir::unicode_table {

struct RuneRange {
  uint32_t lo, hi;
};

extern const RuneRange kPrintRanges[];
extern const size_t kPrintRangeCount;

}  // namespace fenrir::unicode_table
