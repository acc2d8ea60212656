#include "query/template/node.h"

#include "query/template/strconv.h"

namespace fenrir::query::tmpl {

void VariableNode::Write(std::string* out) const {
  for (size_t i = 0; i < ident.size(); ++i) {
    if (i > 0) out->push_back('.');
    out->append(ident[i]);
  }
}

void CommandNode::Write(std::string* out) const {
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out->push_back(' ');
    if (args[i]->type == NodeType::kPipe) {
      out->push_back('(');
      args[i]->Write(out);
      out->push_back(')');
    } else {
      args[i]->Write(out);
    }
  }
}

void PipeNode::Write(std::string* out) const {
  if (!decl.empty()) {
    for (size_t i = 0; i < decl.size(); ++i) {
      if (i > 0) out->append(", ");
      decl[i]->Write(out);
    }
    out->append(is_assign ? " = " : " := ");
  }
  for (size_t i = 0; i < cmds.size(); ++i) {
    if (i > 0) out->append(" | ");
    cmds[i]->Write(out);
  }
}

void BranchNode::Write(std::string* out) const {
  const char* name = type == NodeType::kIf ? "if" : type == NodeType::kRange ? "range" : "with";
  out->append("{{");
  out->append(name);
  out->push_back(' ');
  pipe->Write(out);
  out->append("}}");
  list->Write(out);
  if (else_list) {
    out->append("{{else}}");
    else_list->Write(out);
  }
  out->append("{{end}}");
}

void TemplateNode::Write(std::string* out) const {
  out->append("{{template ");
  out->append(GoQuote(name));
  if (pipe) {
    out->push_back(' ');
    pipe->Write(out);
  }
  out->append("}}");
}

void SimpleNode::Write(std::string* out) const {
  switch (type) {
    case NodeType::kBreak: out->append("{{break}}"); return;
    case NodeType::kContinue: out->append("{{continue}}"); return;
    case NodeType::kComment: out->append("{{/* */}}"); return;
    case NodeType::kDot: out->append("."); return;
    case NodeType::kNil: out->append("nil"); return;
    case NodeType::kEnd: out->append("{{end}}"); return;
    case NodeType::kElse: out->append("{{else}}"); return;
    default: return;
  }
}

void ChainNode::Write(std::string* out) const {
  if (node->type == NodeType::kPipe) {
    out->push_back('(');
    node->Write(out);
    out->push_back(')');
  } else {
    node->Write(out);
  }
  for (const auto& f : field) {
    out->push_back('.');
    out->append(f);
  }
}

}  // namespace fenrir::query::tmpl
