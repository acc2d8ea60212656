#pragma once
// Loki's pattern expressions: literals and <name> / <_> captures, e.g.
// `<ip> - - [<_>] "<method> <path> <_>"`. Immutable; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace fenrir::query {

class PatternMatcher {
 public:
  // Parses and validates a pattern. The parser form needs at least one named capture and rejects
  // consecutive captures and duplicate names (Loki's messages); the line filter form (|> !>)
  // accepts patterns without named captures.
  static Result<PatternMatcher> Make(std::string_view pattern, bool for_filter = false);

  // Loki's Matches: the captured values of the named captures, in order, possibly fewer than
  // names() when the line ends early; empty when the leading literal does not match.
  void Matches(std::string_view line, std::vector<std::string_view>* captures) const;
  // Loki's pattern line filter test: every literal found in order, and the line ends exactly
  // at a trailing literal (or leaves text for a trailing capture).
  bool Test(std::string_view line) const;

  const std::vector<std::string>& names() const { return names_; }

 private:
  struct Node {
    bool capture = false;
    bool named = false;  // capture other than <_>
    std::string text;    // literal bytes or capture name
  };
  std::vector<Node> nodes_;
  std::vector<std::string> names_;
};

}  // namespace fenrir::query
