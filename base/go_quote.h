#pragma once
// Go's strconv quoting, once for the whole tree: strconv.Quote is how Loki prints label values
// ({app="api"}), LogQL strings and many error texts ("parsing \"x\": invalid syntax"), and fmt's
// %q goes through it too. The output is Go's to the byte: printable runes stay literal (é, 日,
// U+FFFD), `"` and `\` are escaped, control characters use \a \b \f \n \r \t \v or \xNN, every
// byte of invalid UTF-8 is \xNN, and other non-printable runes are \uNNNN or \UNNNNNNNN.
//
// "Printable" is unicode.IsPrint as of Unicode 15.0.0, the tables of Go 1.21 that Loki 2.9.9 is
// built with (generated into unicode_print_table.cc). Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace fenrir {

// strconv.Quote: s as a double-quoted Go string literal.
std::string GoQuote(std::string_view s);
// strconv.AppendQuote: appends GoQuote(s) to *out.
void AppendGoQuote(std::string* out, std::string_view s);

// strconv.QuoteRune: r as a single-quoted Go character literal; an invalid rune prints as
// U+FFFD ('�').
std::string GoQuoteRune(uint32_t r);

// strconv.IsPrint (= unicode.IsPrint): letters, marks, numbers, punctuation, symbols and the
// ASCII space. False for controls, format characters such as U+00AD, other spaces, private use,
// surrogates, unassigned code points and anything past U+10FFFF.
bool IsPrintRune(uint32_t r);

}  // namespace fenrir
