#pragma once
// Go's unicode/utf8, once for the whole tree: the rune decoding and encoding that Loki's Go code
// gets from its standard library, with the same answers on bad input. Go's UTF-8 is strict:
// overlong forms, surrogate halves (U+D800..U+DFFF), values past U+10FFFF and truncated
// sequences are all invalid, and decoding one yields RuneError (U+FFFD) with width 1, so a
// caller that steps by the returned width moves on one byte, as a Go `for range` loop does.
//
// Pure functions on byte strings; thread-safe. No function here fails: invalid input has a
// defined answer, as in Go.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fenrir {

inline constexpr uint32_t kRuneError = 0xFFFD;  // utf8.RuneError
inline constexpr uint32_t kMaxRune = 0x10FFFF;  // utf8.MaxRune
inline constexpr uint32_t kRuneSelf = 0x80;     // utf8.RuneSelf: below it a byte is a rune

// utf8.DecodeRuneInString: stores the first rune of s in *rune and returns its width in bytes.
// Invalid UTF-8 gives (kRuneError, 1); an empty s gives (kRuneError, 0). A valid encoding of
// U+FFFD itself gives (kRuneError, 3): callers that must tell the two apart check the width.
size_t DecodeRune(std::string_view s, uint32_t* rune);

// utf8.ValidRune: r is a Unicode scalar value (at most U+10FFFF and not a surrogate).
constexpr bool IsValidRune(uint32_t r) { return r <= kMaxRune && (r < 0xD800 || r > 0xDFFF); }

// utf8.RuneLen for a valid rune: 1 to 4; an invalid one counts as U+FFFD (3), as it encodes.
size_t RuneLen(uint32_t r);

// utf8.AppendRune: appends the UTF-8 encoding of r. Invalid runes (surrogates, past U+10FFFF)
// are written as U+FFFD.
void AppendRune(std::string* out, uint32_t r);

// utf8.RuneCountInString: the number of runes, each invalid byte counting as one.
size_t RuneCount(std::string_view s);

// utf8.ValidString: s is entirely valid UTF-8.
bool IsValidUtf8(std::string_view s);

// Byte offset of the first invalid sequence in s, or std::string_view::npos when s is valid.
size_t FirstInvalidUtf8(std::string_view s);

// True when a Go `for _, r := range s` loop would see utf8.RuneError: s has an invalid sequence
// or a literal U+FFFD. Loki's parsers reject keys and values on that test.
bool ContainsRuneError(std::string_view s);

}  // namespace fenrir
