#pragma once
// The parse tree of a Go text/template, as Go's text/template/parse builds it. Nodes print back
// (String) the way Go's do, because execution errors quote them ("at <.a.b>").

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "query/template/template.h"

namespace fenrir::query::tmpl {

struct FuncDef;

enum class NodeType {
  kText, kAction, kComment, kIf, kRange, kWith, kTemplate, kBreak, kContinue, kList, kPipe,
  kCommand, kField, kChain, kVariable, kIdentifier, kDot, kNil, kBool, kNumber, kString,
  kEnd, kElse,  // transient, parser only
};

struct Node {
  Node(NodeType t, int p, int l) : type(t), pos(p), line(l) {}
  virtual ~Node() = default;
  virtual void Write(std::string* out) const = 0;
  std::string String() const {
    std::string s;
    Write(&s);
    return s;
  }
  NodeType type;
  int pos;   // byte offset in the source, for error locations
  int line;
};
using NodePtr = std::unique_ptr<Node>;

struct TextNode : Node {
  TextNode(int p, int l, std::string_view t) : Node(NodeType::kText, p, l), text(t) {}
  void Write(std::string* out) const override { out->append(text); }
  std::string_view text;  // into the tree's source
};

struct ListNode : Node {
  ListNode(int p, int l) : Node(NodeType::kList, p, l) {}
  void Write(std::string* out) const override {
    for (const auto& n : nodes) n->Write(out);
  }
  std::vector<NodePtr> nodes;
};

struct VariableNode : Node {
  VariableNode(int p, int l, std::vector<std::string> id)
      : Node(NodeType::kVariable, p, l), ident(std::move(id)) {}
  void Write(std::string* out) const override;
  std::vector<std::string> ident;  // ident[0] is "$x"; the rest are fields
};

struct CommandNode : Node {
  CommandNode(int p, int l) : Node(NodeType::kCommand, p, l) {}
  void Write(std::string* out) const override;
  std::vector<NodePtr> args;
};

struct PipeNode : Node {
  PipeNode(int p, int l) : Node(NodeType::kPipe, p, l) {}
  void Write(std::string* out) const override;
  bool is_assign = false;
  std::vector<std::unique_ptr<VariableNode>> decl;
  std::vector<std::unique_ptr<CommandNode>> cmds;
};

struct ActionNode : Node {
  ActionNode(int p, int l, std::unique_ptr<PipeNode> pp)
      : Node(NodeType::kAction, p, l), pipe(std::move(pp)) {}
  void Write(std::string* out) const override {
    out->append("{{");
    pipe->Write(out);
    out->append("}}");
  }
  std::unique_ptr<PipeNode> pipe;
};

// if, range and with.
struct BranchNode : Node {
  BranchNode(NodeType t, int p, int l) : Node(t, p, l) {}
  void Write(std::string* out) const override;
  std::unique_ptr<PipeNode> pipe;
  std::unique_ptr<ListNode> list;
  std::unique_ptr<ListNode> else_list;  // may be null
};

struct TemplateNode : Node {
  TemplateNode(int p, int l) : Node(NodeType::kTemplate, p, l) {}
  void Write(std::string* out) const override;
  std::string name;
  std::unique_ptr<PipeNode> pipe;  // may be null
};

// break, continue, comment, dot, nil, end, else: nodes without payload.
struct SimpleNode : Node {
  SimpleNode(NodeType t, int p, int l) : Node(t, p, l) {}
  void Write(std::string* out) const override;
};

struct FieldNode : Node {
  FieldNode(int p, int l, std::vector<std::string> id)
      : Node(NodeType::kField, p, l), ident(std::move(id)) {}
  void Write(std::string* out) const override {
    for (const auto& f : ident) {
      out->push_back('.');
      out->append(f);
    }
  }
  std::vector<std::string> ident;
};

struct ChainNode : Node {
  ChainNode(int p, int l, NodePtr n) : Node(NodeType::kChain, p, l), node(std::move(n)) {}
  void Write(std::string* out) const override;
  NodePtr node;
  std::vector<std::string> field;
};

struct IdentifierNode : Node {
  IdentifierNode(int p, int l, std::string id, const FuncDef* f)
      : Node(NodeType::kIdentifier, p, l), ident(std::move(id)), func(f) {}
  void Write(std::string* out) const override { out->append(ident); }
  std::string ident;
  const FuncDef* func;
};

struct BoolNode : Node {
  BoolNode(int p, int l, bool v) : Node(NodeType::kBool, p, l), value(v) {}
  void Write(std::string* out) const override { out->append(value ? "true" : "false"); }
  bool value;
};

struct NumberNode : Node {
  NumberNode(int p, int l) : Node(NodeType::kNumber, p, l) {}
  void Write(std::string* out) const override { out->append(text); }
  bool is_int = false, is_uint = false, is_float = false, is_complex = false;
  int64_t i = 0;
  uint64_t u = 0;
  double f = 0;
  std::string text;
};

struct StringNode : Node {
  StringNode(int p, int l, std::string q, std::string t)
      : Node(NodeType::kString, p, l), quoted(std::move(q)), text(std::move(t)) {}
  void Write(std::string* out) const override { out->append(quoted); }
  std::string quoted;
  std::string text;
};

}  // namespace fenrir::query::tmpl

namespace fenrir::query {

// A parsed template set: the main tree plus {{define}}d ones, sharing one source text.
struct Template::Node {
  std::string name;    // "line" / "label": Go's ParseName, quoted in errors
  std::string source;  // text nodes point into it
  std::map<std::string, std::unique_ptr<tmpl::ListNode>, std::less<>> trees;  // name -> root
  const tmpl::ListNode* root = nullptr;  // trees[name]
};

}  // namespace fenrir::query
