// Encodings: b64enc/b64dec (sprig), urlencode/urldecode (url.QueryEscape/QueryUnescape),
// fromJson (encoding/json into interface{}) and bytes (go-humanize ParseBytes).

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

#include "query/template/funcs.h"
#include "query/template/number.h"
#include "query/template/strconv.h"

namespace fenrir::query::tmpl {
namespace {

using A = std::span<const Value>;
constexpr ParamType kS = ParamType::kString;

const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Status FnB64Enc(const CallContext&, A a, Value* out) {
  std::string_view s = a[0].AsString();
  std::string r;
  r.reserve((s.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(s[i]) << 16) |
                 (static_cast<unsigned char>(s[i + 1]) << 8) | static_cast<unsigned char>(s[i + 2]);
    r.push_back(kB64[v >> 18]);
    r.push_back(kB64[(v >> 12) & 63]);
    r.push_back(kB64[(v >> 6) & 63]);
    r.push_back(kB64[v & 63]);
  }
  if (i < s.size()) {
    uint32_t v = static_cast<unsigned char>(s[i]) << 16;
    if (i + 1 < s.size()) v |= static_cast<unsigned char>(s[i + 1]) << 8;
    r.push_back(kB64[v >> 18]);
    r.push_back(kB64[(v >> 12) & 63]);
    r.push_back(i + 1 < s.size() ? kB64[(v >> 6) & 63] : '=');
    r.push_back('=');
  }
  *out = Value::Owned(std::move(r));
  return Status::OK();
}

int B64Val(char c) {
  // string_view::find, not strchr: strchr would match c == '\0' at the terminator.
  size_t p = std::string_view(kB64).find(c);
  return p != std::string_view::npos ? static_cast<int>(p) : -1;
}

// base64.StdEncoding.DecodeString; on error, sprig returns the error text as the result.
Status FnB64Dec(const CallContext&, A a, Value* out) {
  std::string_view s = a[0].AsString();
  std::string r;
  uint32_t acc = 0;
  int n = 0;
  size_t i = 0;
  std::string err;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n' || c == '\r') continue;
    if (c == '=') {
      // Padding: only valid at a group's third or fourth position, then the input must end.
      if (n < 2) {
        err = "illegal base64 data at input byte " + std::to_string(i);
        break;
      }
      size_t j = i + 1;
      if (n == 2) {
        while (j < s.size() && (s[j] == '\n' || s[j] == '\r')) ++j;
        if (j >= s.size() || s[j] != '=') {
          err = "illegal base64 data at input byte " + std::to_string(j >= s.size() ? s.size() : j);
          break;
        }
        ++j;
      }
      while (j < s.size() && (s[j] == '\n' || s[j] == '\r')) ++j;
      if (j < s.size()) {
        err = "illegal base64 data at input byte " + std::to_string(j);
        break;
      }
      if (n == 2) r.push_back(static_cast<char>(acc >> 4));
      if (n == 3) {
        r.push_back(static_cast<char>(acc >> 10));
        r.push_back(static_cast<char>((acc >> 2) & 0xFF));
      }
      n = 0;
      i = s.size();
      break;
    }
    int v = B64Val(c);
    if (v < 0) {
      err = "illegal base64 data at input byte " + std::to_string(i);
      break;
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    if (++n == 4) {
      r.push_back(static_cast<char>(acc >> 16));
      r.push_back(static_cast<char>((acc >> 8) & 0xFF));
      r.push_back(static_cast<char>(acc & 0xFF));
      acc = 0;
      n = 0;
    }
  }
  if (err.empty() && n != 0) {
    err = "illegal base64 data at input byte " + std::to_string(s.size() - (n == 1 ? 1 : 0));
  }
  *out = Value::Owned(err.empty() ? std::move(r) : std::move(err));
  return Status::OK();
}

Status FnUrlEncode(const CallContext&, A a, Value* out) {
  *out = Value::Owned(GoQueryEscape(a[0].AsString()));
  return Status::OK();
}

int Unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status FnUrlDecode(const CallContext&, A a, Value* out) {
  std::string_view s = a[0].AsString();
  std::string r;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || Unhex(s[i + 1]) < 0 || Unhex(s[i + 2]) < 0) {
        std::string_view bad = s.substr(i, 3);
        return Errorf("invalid URL escape " + GoQuote(bad));
      }
      r.push_back(static_cast<char>(Unhex(s[i + 1]) * 16 + Unhex(s[i + 2])));
      i += 2;
    } else if (s[i] == '+') {
      r.push_back(' ');
    } else {
      r.push_back(s[i]);
    }
  }
  *out = Value::Owned(std::move(r));
  return Status::OK();
}

Value FromJson(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value::Nil();
    case nlohmann::json::value_t::boolean: return Value::Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return Value::Float(j.get<double>());
    case nlohmann::json::value_t::string: return Value::Owned(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      List l;
      l.reserve(j.size());
      for (const auto& e : j) l.push_back(FromJson(e));
      return Value::FromList(std::move(l));
    }
    case nlohmann::json::value_t::object: {
      Map m;
      for (auto it = j.begin(); it != j.end(); ++it) m[it.key()] = FromJson(it.value());
      return Value::FromMap(std::move(m));
    }
    default: return Value::Nil();
  }
}

Status FnFromJson(const CallContext&, A a, Value* out) {
  std::string_view s = a[0].AsString();
  auto j = nlohmann::json::parse(s.begin(), s.end(), nullptr, /*allow_exceptions=*/false);
  *out = j.is_discarded() ? Value::Nil() : FromJson(j);
  return Status::OK();
}

Status FnBytes(const CallContext&, A a, Value* out) {
  static const std::map<std::string, double, std::less<>> kSizes = {
      {"b", 1},        {"", 1},          {"kib", 1024.0}, {"ki", 1024.0}, {"kb", 1e3},
      {"k", 1e3},      {"mib", 1048576.0}, {"mi", 1048576.0}, {"mb", 1e6}, {"m", 1e6},
      {"gib", 1073741824.0}, {"gi", 1073741824.0}, {"gb", 1e9}, {"g", 1e9},
      {"tib", 1099511627776.0}, {"ti", 1099511627776.0}, {"tb", 1e12}, {"t", 1e12},
      {"pib", 1125899906842624.0}, {"pi", 1125899906842624.0}, {"pb", 1e15}, {"p", 1e15},
      {"eib", 1152921504606846976.0}, {"ei", 1152921504606846976.0}, {"eb", 1e18}, {"e", 1e18}};
  std::string_view s = a[0].AsString();
  size_t last = 0;
  bool comma = false;
  while (last < s.size() && ((s[last] >= '0' && s[last] <= '9') || s[last] == '.' || s[last] == ',')) {
    comma |= s[last] == ',';
    ++last;
  }
  std::string num(s.substr(0, last));
  if (comma) num.erase(std::remove(num.begin(), num.end(), ','), num.end());
  double f;
  if (!ParseGoFloat(num, &f)) {
    return Errorf("strconv.ParseFloat: parsing " + GoQuote(num) + ": invalid syntax");
  }
  std::string_view rest = s.substr(last);
  while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front()))) rest.remove_prefix(1);
  while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.back()))) rest.remove_suffix(1);
  std::string extra;
  for (char c : rest) extra.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto it = kSizes.find(extra);
  if (it == kSizes.end()) return Errorf("unhandled size name: " + extra);
  f *= it->second;
  if (f >= 18446744073709551615.0) return Errorf("too large: " + std::string(s));
  *out = Value::Float(static_cast<double>(static_cast<uint64_t>(f)));
  return Status::OK();
}

}  // namespace

std::string GoQueryEscape(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string r;
  r.reserve(s.size());
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      r.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      r.push_back('+');
    } else {
      r.push_back('%');
      r.push_back(kHex[c >> 4]);
      r.push_back(kHex[c & 15]);
    }
  }
  return r;
}

void AddEncodingFuncs(std::vector<FuncDef>* out) {
  out->push_back({"b64enc", {kS}, false, FnB64Enc});
  out->push_back({"b64dec", {kS}, false, FnB64Dec});
  out->push_back({"urlencode", {kS}, false, FnUrlEncode});
  out->push_back({"urldecode", {kS}, false, FnUrlDecode});
  out->push_back({"fromJson", {kS}, false, FnFromJson});
  out->push_back({"bytes", {kS}, false, FnBytes});
  AddRegexFuncs(out);
}

}  // namespace fenrir::query::tmpl
