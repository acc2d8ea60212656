#pragma once
// Go's number syntax: strconv.ParseInt/ParseUint/ParseFloat as text/template and spf13/cast use
// them, and the classification of template number literals (int, uint, float, char).

#include <cstdint>
#include <string>
#include <string_view>

namespace fenrir::query::tmpl {

struct NumberNode;

// strconv.ParseInt(s, base, 64); base 0 infers 0x / 0o / 0b / 0 prefixes and allows underscores.
bool ParseGoInt(std::string_view s, int base, int64_t* out);
bool ParseGoUint(std::string_view s, int base, uint64_t* out);
// strconv.ParseFloat(s, 64), including hex floats, inf and nan; false on syntax or range error.
bool ParseGoFloat(std::string_view s, double* out);

// Fills n's is_int/is_uint/is_float with Go's rules (parse.newNumber); *err is Go's message.
bool ParseNumber(std::string_view text, bool is_char, bool is_complex, NumberNode* n,
                 std::string* err);

}  // namespace fenrir::query::tmpl
