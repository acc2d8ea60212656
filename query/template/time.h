#pragma once
// Go's time formatting and parsing by reference layout ("2006-01-02T15:04:05Z07:00"), durations
// (time.ParseDuration, Duration.String) and the civil calendar, for the date functions.

#include <optional>
#include <string>
#include <string_view>

#include "base/go_duration.h"  // time.ParseDuration and Duration.String
#include "query/template/value.h"

namespace fenrir::query::tmpl {

struct Civil {
  int64_t year;
  int month, day, hour, minute, second, weekday /*0=Sunday*/, yday /*1-based*/;
};
// The wall clock of t in its zone.
Civil ToCivil(const Time& t);
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);

// time.Time.Format(layout).
void AppendGoTime(std::string* out, const Time& t, std::string_view layout);
// time.ParseInLocation(layout, value, UTC); the error text is Go's.
bool ParseGoTime(std::string_view layout, std::string_view value, Time* out, std::string* err);
// time.LoadLocation for the zones this server knows: "", "UTC" and "Local" (UTC); others fail.
bool IsKnownZone(std::string_view name);
// Interns a zone abbreviation so Time::zone can point at it.
std::string_view InternZone(std::string_view name);

}  // namespace fenrir::query::tmpl
