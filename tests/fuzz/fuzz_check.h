#pragma once
// Property checks for libFuzzer targets: on failure, print what disagreed and abort, which
// libFuzzer reports as a crash and saves the input (crash-<sha1>) for reproduction.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace fenrir::fuzz {

[[noreturn]] inline void Fail(const char* file, int line, const char* what, std::string_view a,
                              std::string_view b) {
  std::fprintf(stderr, "%s:%d: property failed: %s\n  first:  [%.*s]\n  second: [%.*s]\n", file,
               line, what, static_cast<int>(a.size()), a.data(), static_cast<int>(b.size()),
               b.data());
  std::abort();
}

}  // namespace fenrir::fuzz

// Aborts unless `cond`; `a` and `b` are printed to explain the failure.
#define FUZZ_CHECK(cond, what, a, b)                                 \
  do {                                                               \
    if (!(cond)) ::fenrir::fuzz::Fail(__FILE__, __LINE__, what, a, b); \
  } while (0)
