#pragma once
// Go text/template's parser (text/template/parse): builds the tree of a template and its
// {{define}}s, with Go's error messages ("template: line:1: function \"x\" not defined").

#include <string_view>

#include "query/template/node.h"
#include "base/status.h"

namespace fenrir::query::tmpl {

// REQUIRES: out->name and out->source are set; fills out->trees and out->root.
Status ParseInto(Template::Node* out);

}  // namespace fenrir::query::tmpl
