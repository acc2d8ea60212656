#pragma once
// Line filters (|= != |~ !~ |> !>, ip(), `or` alternatives) compiled to byte-level matchers.
// Regexes that are plain literals, `(?i)` literals or alternations of literals become substring
// searches, as Loki's regex simplification does; the rest run on RE2. Immutable; thread-safe.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace fenrir::query {

// A predicate on a line (or a label value).
class LineMatcher {
 public:
  virtual ~LineMatcher() = default;
  virtual bool Matches(std::string_view line) const = 0;
};

// Loki's case-insensitive substring test (containsLower), quirks included: `lower_needle` must
// already be lower-cased, and the scan restarts the needle without backtracking.
bool ContainsLower(std::string_view line, std::string_view lower_needle);
// Go's bytes.ToLower for the scripts Fenrir folds (ASCII, Latin-1, Latin Extended-A, Greek,
// Cyrillic).
std::string ToLowerUnicode(std::string_view s);

// Substring matcher (memmem).
std::unique_ptr<LineMatcher> MakeContainsMatcher(std::string needle, bool case_insensitive);
// A regex line filter with Loki's literal simplification; InvalidArgument with Go's error text
// ("error parsing regexp: ...") when RE2 rejects it.
Result<std::unique_ptr<LineMatcher>> MakeRegexMatcher(std::string_view regex);

// The simplified form of a regex when it is a disjunction of literals: `*literals` is the list
// (empty list + true return value = matches everything), `*case_insensitive` set for (?i).
// Returns false when the regex is not of that shape. `*non_empty` is set for `.+`.
bool SimplifyRegex(std::string_view regex, std::vector<std::string>* literals,
                   bool* case_insensitive, bool* non_empty);

}  // namespace fenrir::query
