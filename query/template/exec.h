#pragma once
// Executes a parsed template against one entry, the way Go's text/template/exec.go walks a tree:
// same evaluation order, argument checks, variable scoping and error messages.

#include <string>

#include "query/template/node.h"
#include "base/status.h"

namespace fenrir::query::tmpl {

// Appends the output to *out. On error, *out holds the partial output.
Status ExecuteTemplate(const Template::Node& set, const TemplateData& data, std::string* out);

}  // namespace fenrir::query::tmpl
