#include "server/http/params.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "base/prom_duration.h"
#include "server/rfc3339.h"
#include "storage/labels.h"

namespace fenrir::server {

namespace {

constexpr int64_t kSecond = 1'000'000'000;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status Wrap(const Status& st, std::string_view prefix) {
  return Status(st.code(), std::string(prefix) + ": " + st.message());
}

// strconv's "value out of range" error, for timestamps whose nanoseconds overflow int64.
Status OutOfRange(std::string_view s, const char* fn) {
  return Status::InvalidArgument(std::string("strconv.") + fn + ": parsing " +
                                 storage::GoQuote(s) + ": value out of range");
}

// Go strconv.ParseInt(s, 10, 64) with its error texts, under function name `fn`.
Result<int64_t> GoParseInt(std::string_view s, const char* fn) {
  auto err = [&](const char* what) {
    return Status::InvalidArgument(std::string("strconv.") + fn + ": parsing " +
                                   storage::GoQuote(s) + ": " + what);
  };
  if (s.empty()) return err("invalid syntax");
  size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return err("invalid syntax");
  uint64_t v = 0;
  bool overflow = false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return err("invalid syntax");
    if (v > (std::numeric_limits<uint64_t>::max() - 9) / 10) overflow = true;
    v = v * 10 + static_cast<uint64_t>(s[i] - '0');
  }
  uint64_t max = neg ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (overflow || v > max) return err("value out of range");
  return neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
}

// Go strconv.ParseFloat(s, 64) success check (no hex/underscore handling needed here).
bool GoParseFloat(std::string_view s, double* out) {
  if (s.empty() || isspace(static_cast<unsigned char>(s[0]))) return false;
  std::string text(s);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return false;
  if (errno == ERANGE && std::isinf(v)) return false;
  *out = v;
  return true;
}

}  // namespace

Result<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      int hi = i + 1 < s.size() ? HexValue(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        std::string_view bad = s.substr(i, 3);
        return Status::InvalidArgument("invalid URL escape " + storage::GoQuote(bad));
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Status Form::AddEncoded(std::string_view encoded) {
  while (!encoded.empty()) {
    size_t amp = encoded.find('&');
    std::string_view pair = encoded.substr(0, amp);
    encoded = amp == std::string_view::npos ? std::string_view() : encoded.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq), true);
    if (!key.ok()) return key.status();
    std::string value;
    if (eq != std::string_view::npos) {
      auto v = PercentDecode(pair.substr(eq + 1), true);
      if (!v.ok()) return v.status();
      value = std::move(*v);
    }
    Add(std::move(*key), std::move(value));
  }
  return Status::OK();
}

Result<Form> Form::Parse(const HttpRequest& request) {
  Form form;
  if (request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    std::string_view ct = request.Header("content-type");
    ct = ct.substr(0, ct.find(';'));
    while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
    if (ct == "application/x-www-form-urlencoded") {
      FENRIR_RETURN_IF_ERROR(form.AddEncoded(request.body));
    }
  }
  FENRIR_RETURN_IF_ERROR(form.AddEncoded(request.RawQuery()));
  return form;
}

std::string Form::Get(std::string_view key) const {
  for (const auto& [k, v] : values_) {
    if (k == key) return v;
  }
  return {};
}

bool Form::Has(std::string_view key) const {
  for (const auto& kv : values_) {
    if (kv.first == key) return true;
  }
  return false;
}

std::vector<std::string> Form::GetAll(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : values_) {
    if (k == key) out.push_back(v);
  }
  return out;
}

Result<int64_t> ParseTimestamp(std::string_view value, int64_t def_ns) {
  if (value.empty()) return def_ns;
  if (value.find('.') != std::string_view::npos) {
    double t;
    if (GoParseFloat(value, &t)) {
      double s;
      double frac = std::modf(t, &s);
      frac = std::round(frac * 1000) / 1000;
      // Loki's time.Unix(s, frac).UnixNano() wraps past int64 nanoseconds (year 2262); we
      // answer 400 instead. |s| <= 9223372035 keeps s * 1e9 + frac * 1e9 inside int64.
      if (!(std::fabs(s) <= 9223372035.0)) return OutOfRange(value, "ParseFloat");
      return static_cast<int64_t>(s) * kSecond + static_cast<int64_t>(frac * kSecond);
    }
  }
  auto n = GoParseInt(value, "ParseInt");
  if (!n.ok()) {
    auto ts = ParseRfc3339(value);
    if (ts.ok()) return ts;
    return n.status();
  }
  if (value.size() <= 10) {
    // Ten digits are seconds: 9999999999 s is past what int64 nanoseconds can hold.
    constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / kSecond;
    if (*n > kMaxSeconds || *n < -kMaxSeconds) return OutOfRange(value, "ParseInt");
    return *n * kSecond;
  }
  return *n;
}

Result<int64_t> ParseSecondsOrDuration(std::string_view value) {
  double d;
  if (GoParseFloat(value, &d)) {
    double ns = d * kSecond;
    // 2^63 itself (the double nearest INT64_MAX) and NaN do not convert either.
    if (!(ns < 9223372036854775808.0 && ns >= -9223372036854775808.0)) {
      return Status::InvalidArgument("cannot parse " + storage::GoQuote(value) +
                                     " to a valid duration. It overflows int64");
    }
    return static_cast<int64_t>(ns);
  }
  auto p = ParsePromDuration(value);
  if (p.ok()) return p;
  return Status::InvalidArgument("cannot parse " + storage::GoQuote(value) +
                                 " to a valid duration");
}

Result<int64_t> ParseInt(std::string_view value, int64_t def) {
  if (value.empty()) return def;
  return GoParseInt(value, "Atoi");
}

Result<uint32_t> ParseLimit(const Form& form) {
  auto l = ParseInt(form.Get("limit"), 100);
  if (!l.ok()) return l.status();
  if (*l <= 0) return Status::InvalidArgument("limit must be a positive value");
  if (*l > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("limit value " + std::to_string(*l) +
                                   " is out of range [0, 4294967295]");
  }
  return static_cast<uint32_t>(*l);
}

Result<storage::Direction> ParseDirection(const Form& form) {
  std::string v = form.Get("direction");
  if (v.empty()) return storage::Direction::kBackward;
  std::string upper = v;
  for (char& c : upper) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  if (upper == "FORWARD") return storage::Direction::kForward;
  if (upper == "BACKWARD") return storage::Direction::kBackward;
  return Status::InvalidArgument("invalid direction '" + v + "'");
}

Result<Bounds> ParseBounds(const Form& form, int64_t now_ns) {
  int64_t since = 3600 * kSecond;
  std::string since_text = form.Get("since");
  if (!since_text.empty()) {
    auto d = ParsePromDuration(since_text);
    if (!d.ok()) return Wrap(d.status(), "could not parse 'since' parameter");
    since = *d;
  }
  auto end = ParseTimestamp(form.Get("end"), now_ns);
  if (!end.ok()) return Wrap(end.status(), "could not parse 'end' parameter");
  int64_t end_or_now = std::min(*end, now_ns);
  auto start = ParseTimestamp(form.Get("start"), end_or_now - since);
  if (!start.ok()) return Wrap(start.status(), "could not parse 'start' parameter");
  return Bounds{*start, *end};
}

Result<RangeQueryRequest> ParseRangeQuery(const Form& form, int64_t now_ns) {
  RangeQueryRequest r;
  r.query = form.Get("query");
  auto bounds = ParseBounds(form, now_ns);
  if (!bounds.ok()) return bounds.status();
  r.start_ns = bounds->start_ns;
  r.end_ns = bounds->end_ns;
  if (r.end_ns < r.start_ns) {
    return Status::InvalidArgument("end timestamp must not be before or equal to start time");
  }
  auto limit = ParseLimit(form);
  if (!limit.ok()) return limit.status();
  r.limit = *limit;
  auto direction = ParseDirection(form);
  if (!direction.ok()) return direction.status();
  r.direction = *direction;
  std::string step = form.Get("step");
  if (step.empty()) {
    double secs = std::floor(static_cast<double>(r.end_ns - r.start_ns) / kSecond / 250);
    r.step_ns = static_cast<int64_t>(std::max(secs, 1.0)) * kSecond;
  } else {
    auto s = ParseSecondsOrDuration(step);
    if (!s.ok()) return s.status();
    r.step_ns = *s;
  }
  if (r.step_ns <= 0) {
    return Status::InvalidArgument(
        "zero or negative query resolution step widths are not accepted. Try a positive integer");
  }
  if ((r.end_ns - r.start_ns) / r.step_ns > 11000) {
    return Status::InvalidArgument(
        "exceeded maximum resolution of 11,000 points per time series. Try increasing the value "
        "of the step parameter");
  }
  std::string interval = form.Get("interval");
  if (!interval.empty()) {
    auto i = ParseSecondsOrDuration(interval);
    if (!i.ok()) return i.status();
    r.interval_ns = *i;
  }
  if (r.interval_ns < 0) return Status::InvalidArgument("interval must be >= 0");
  return r;
}

Result<InstantQueryRequest> ParseInstantQuery(const Form& form, int64_t now_ns) {
  InstantQueryRequest r;
  r.query = form.Get("query");
  auto limit = ParseLimit(form);
  if (!limit.ok()) return limit.status();
  r.limit = *limit;
  auto ts = ParseTimestamp(form.Get("time"), now_ns);
  if (!ts.ok()) return ts.status();
  r.time_ns = *ts;
  auto direction = ParseDirection(form);
  if (!direction.ok()) return direction.status();
  r.direction = *direction;
  return r;
}

}  // namespace fenrir::server
