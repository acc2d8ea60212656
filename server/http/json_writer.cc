#include "server/http/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace fenrir::server {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendUnicodeEscape(std::string* out, unsigned cp) {
  out->append("\\u");
  out->push_back(kHex[(cp >> 12) & 0xf]);
  out->push_back(kHex[(cp >> 8) & 0xf]);
  out->push_back(kHex[(cp >> 4) & 0xf]);
  out->push_back(kHex[cp & 0xf]);
}

// Length of the valid UTF-8 sequence at s[i], or 0 when invalid.
size_t Utf8Length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
    if (c == 0xED && c1 > 0x9F) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xF0 && c1 < 0x90) return 0;
    if (c == 0xF4 && c1 > 0x8F) return 0;
    return 4;
  }
  return 0;
}

void AppendDouble(std::string* out, double v, std::chars_format fmt) {
  char buf[400];
  auto res = std::to_chars(buf, buf + sizeof buf, v, fmt);
  out->append(buf, res.ptr);
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s, bool html_safe) {
  out->push_back('"');
  size_t i = 0, run = 0;
  auto flush = [&](size_t end) {
    if (end > run) out->append(s.data() + run, end - run);
  };
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\' &&
        !(html_safe && (c == '<' || c == '>' || c == '&'))) {
      ++i;
      continue;
    }
    if (c < 0x80) {
      flush(i);
      switch (c) {
        case '"': out->append("\\\""); break;
        case '\\': out->append("\\\\"); break;
        case '\n': out->append("\\n"); break;
        case '\r': out->append("\\r"); break;
        case '\t': out->append("\\t"); break;
        default: AppendUnicodeEscape(out, c); break;
      }
      run = ++i;
      continue;
    }
    size_t len = Utf8Length(s, i);
    if (len == 0) {
      flush(i);
      out->append("\\ufffd");
      run = ++i;
      continue;
    }
    if (len == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
      flush(i);
      AppendUnicodeEscape(out, static_cast<unsigned char>(s[i + 2]) == 0xA8 ? 0x2028 : 0x2029);
      run = i + 3;
    }
    i += len;
  }
  flush(s.size());
  out->push_back('"');
}

std::string FormatSampleValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  std::string out;
  AppendDouble(&out, v, std::chars_format::fixed);
  return out;
}

std::string FormatSampleTime(int64_t ms) {
  std::string out;
  if (ms < 0) {
    out.push_back('-');
    ms = -ms;
  }
  out += std::to_string(ms / 1000);
  int frac = static_cast<int>(ms % 1000);
  if (frac != 0) {
    char buf[4] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                   static_cast<char>('0' + frac % 10), 0};
    int len = 3;
    while (buf[len - 1] == '0') --len;
    out.push_back('.');
    out.append(buf, len);
  }
  return out;
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_->push_back(',');
    first_.back() = false;
  }
}

void JsonWriter::Open(char c) {
  Separate();
  out_->push_back(c);
  first_.push_back(true);
}

void JsonWriter::Close(char c) {
  out_->push_back(c);
  first_.pop_back();
}

void JsonWriter::Key(std::string_view key) {
  Separate();
  AppendJsonString(out_, key, false);
  out_->push_back(':');
  after_key_ = true;
}

void JsonWriter::String(std::string_view s) {
  Separate();
  AppendJsonString(out_, s, false);
}

void JsonWriter::HtmlSafeString(std::string_view s) {
  Separate();
  AppendJsonString(out_, s, true);
}

void JsonWriter::Int(int64_t v) {
  Separate();
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out_->append(buf, res.ptr);
}

void JsonWriter::Uint(uint64_t v) {
  Separate();
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out_->append(buf, res.ptr);
}

void JsonWriter::Bool(bool v) {
  Separate();
  out_->append(v ? "true" : "false");
}

void JsonWriter::Null() {
  Separate();
  out_->append("null");
}

void JsonWriter::Double(double v) {
  Separate();
  if (!std::isfinite(v)) {  // not representable in JSON; Go would fail, we write 0
    out_->push_back('0');
    return;
  }
  double a = std::fabs(v);
  if (a != 0 && (a < 1e-6 || a >= 1e21)) {
    size_t start = out_->size();
    AppendDouble(out_, v, std::chars_format::scientific);
    // Go writes e-7, not e-07.
    size_t e = out_->find("e-0", start);
    if (e != std::string::npos && e + 3 < out_->size()) out_->erase(e + 2, 1);
  } else {
    AppendDouble(out_, v, std::chars_format::fixed);
  }
}

void JsonWriter::SampleTime(int64_t timestamp_ms) {
  Separate();
  out_->append(FormatSampleTime(timestamp_ms));
}

void JsonWriter::SampleValue(double v) {
  Separate();
  out_->push_back('"');
  out_->append(FormatSampleValue(v));
  out_->push_back('"');
}

void JsonWriter::Raw(std::string_view json) {
  Separate();
  out_->append(json);
}

}  // namespace fenrir::server
