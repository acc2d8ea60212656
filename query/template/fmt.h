#pragma once
// Go's fmt.Sprint, Sprintln and Sprintf over template values: verbs %v %s %d %q %x %X %o %b %c
// %U %e %f %g %t %T, flags + - # 0 space, width and precision (also *), and Go's %!verb(type=value)
// error forms for bad verbs, missing and extra arguments.

#include <span>
#include <string>
#include <string_view>

#include "query/template/value.h"

namespace fenrir::query::tmpl {

void GoSprint(std::string* out, std::span<const Value> args);
void GoSprintln(std::string* out, std::span<const Value> args);
void GoSprintf(std::string* out, std::string_view format, std::span<const Value> args);

}  // namespace fenrir::query::tmpl
