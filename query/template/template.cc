#include "query/template/template.h"

#include "query/template/exec.h"
#include "query/template/node.h"
#include "query/template/parser.h"

namespace fenrir::query {

Result<Template> Template::Parse(std::string_view text) { return Parse(text, "line"); }

Result<Template> Template::Parse(std::string_view text, std::string_view name) {
  auto set = std::make_shared<Node>();
  set->name = std::string(name);
  set->source = std::string(text);
  FENRIR_RETURN_IF_ERROR(tmpl::ParseInto(set.get()));
  Template t;
  t.root_ = std::move(set);
  return t;
}

Result<std::string> Template::Execute(const TemplateData& data) const {
  std::string out;
  FENRIR_RETURN_IF_ERROR(tmpl::ExecuteTemplate(*root_, data, &out));
  return out;
}

}  // namespace fenrir::query
