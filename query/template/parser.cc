#include "query/template/parser.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "query/template/funcs.h"
#include "query/template/lexer.h"
#include "query/template/number.h"
#include "query/template/strconv.h"

namespace fenrir::query::tmpl {
namespace {

// Parse errors unwind the recursive descent to ParseInto, which turns them into a Status.
struct ParseError {
  std::string message;
};

class Parser {
 public:
  Parser(Template::Node* set, const std::vector<Item>* items)
      : set_(set), items_(items) {}

  void ParseTop() {
    auto root = std::make_unique<ListNode>(Peek().pos, Peek().line);
    vars_ = {"$"};
    while (Peek().type != ItemType::kEOF) {
      if (Peek().type == ItemType::kLeftDelim) {
        size_t mark = idx_;
        Next();
        if (NextNonSpace().type == ItemType::kDefine) {
          ParseDefinition();
          continue;
        }
        idx_ = mark;
      }
      NodePtr n = TextOrAction();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) {
        Errorf("unexpected " + n->String());
      }
      root->nodes.push_back(std::move(n));
    }
    AddTree(set_->name, std::move(root));
  }

 private:
  const Item& Next() {
    const Item& it = (*items_)[idx_];
    last_ = idx_;
    if (idx_ + 1 < items_->size()) ++idx_;
    else at_end_ = true;
    return it;
  }
  void Backup() {
    if (at_end_) {
      at_end_ = false;
      return;
    }
    --idx_;
  }
  const Item& Peek() const { return (*items_)[idx_]; }
  const Item& NextNonSpace() {
    while (true) {
      const Item& it = Next();
      if (it.type != ItemType::kSpace) return it;
    }
  }
  const Item& PeekNonSpace() {
    const Item& it = NextNonSpace();
    Backup();
    return it;
  }

  [[noreturn]] void Errorf(const std::string& msg) {
    int line = (*items_)[last_].line;
    throw ParseError{"template: " + set_->name + ":" + std::to_string(line) + ": " + msg};
  }
  [[noreturn]] void Unexpected(const Item& it, const std::string& context) {
    if (it.type == ItemType::kError) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != it.line) {
        extra = " in action started at " + set_->name + ":" + std::to_string(action_line_);
        if (it.message.size() >= 7 && it.message.compare(it.message.size() - 7, 7, " action") == 0) {
          extra = extra.substr(std::string(" in action").size());
        }
      }
      Errorf(it.message + extra);
    }
    Errorf("unexpected " + it.String() + " in " + context);
  }
  const Item& Expect(ItemType t, const std::string& context) {
    const Item& it = NextNonSpace();
    if (it.type != t) Unexpected(it, context);
    return it;
  }

  void AddTree(const std::string& name, std::unique_ptr<ListNode> list) {
    auto it = set_->trees.find(name);
    if (it != set_->trees.end()) {
      if (IsEmpty(list.get())) return;
      if (!IsEmpty(it->second.get())) {
        throw ParseError{"template: multiple definition of template " + GoQuote(name)};
      }
    }
    set_->trees[name] = std::move(list);
  }
  static bool IsEmpty(const ListNode* l) {
    for (const auto& n : l->nodes) {
      if (n->type == NodeType::kText) {
        for (char c : static_cast<const TextNode*>(n.get())->text) {
          if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
        }
      } else if (n->type != NodeType::kComment) {
        return false;
      }
    }
    return true;
  }

  void ParseDefinition() {
    const std::string context = "define clause";
    const Item& name = NextNonSpace();
    if (name.type != ItemType::kString && name.type != ItemType::kRawString) {
      Unexpected(name, context);
    }
    auto unq = GoUnquote(name.val);
    if (!unq) Errorf("invalid syntax");
    Expect(ItemType::kRightDelim, context);
    std::vector<std::string> saved = std::move(vars_);
    vars_ = {"$"};
    NodePtr end;
    auto list = ItemList(&end);
    if (end->type != NodeType::kEnd) Errorf("unexpected " + end->String() + " in " + context);
    vars_ = std::move(saved);
    AddTree(*unq, std::move(list));
  }

  std::unique_ptr<ListNode> ItemList(NodePtr* next) {
    const Item& p = PeekNonSpace();
    auto list = std::make_unique<ListNode>(p.pos, p.line);
    while (PeekNonSpace().type != ItemType::kEOF) {
      NodePtr n = TextOrAction();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) {
        *next = std::move(n);
        return list;
      }
      list->nodes.push_back(std::move(n));
    }
    Errorf("unexpected EOF");
  }

  NodePtr TextOrAction() {
    const Item& it = NextNonSpace();
    switch (it.type) {
      case ItemType::kText:
        return std::make_unique<TextNode>(it.pos, it.line, it.val);
      case ItemType::kLeftDelim: {
        int saved = action_line_;
        action_line_ = it.line;
        NodePtr n = Action();
        action_line_ = saved;
        return n;
      }
      case ItemType::kComment:
        return std::make_unique<SimpleNode>(NodeType::kComment, it.pos, it.line);
      default:
        Unexpected(it, "input");
    }
  }

  NodePtr Action() {
    const Item& it = NextNonSpace();
    switch (it.type) {
      case ItemType::kBlock: return BlockControl();
      case ItemType::kBreak: return LoopControl(it, NodeType::kBreak, "{{break}}");
      case ItemType::kContinue: return LoopControl(it, NodeType::kContinue, "{{continue}}");
      case ItemType::kElse: return ElseControl();
      case ItemType::kEnd: return EndControl();
      case ItemType::kIf: return BranchControl(NodeType::kIf, "if");
      case ItemType::kRange: return BranchControl(NodeType::kRange, "range");
      case ItemType::kTemplate: return TemplateControl();
      case ItemType::kWith: return BranchControl(NodeType::kWith, "with");
      default: break;
    }
    Backup();
    const Item& p = Peek();
    int pos = p.pos, line = p.line;
    return std::make_unique<ActionNode>(pos, line, Pipeline("command", ItemType::kRightDelim));
  }

  NodePtr LoopControl(const Item& kw, NodeType t, const std::string& what) {
    int pos = kw.pos, line = kw.line;
    const Item& it = NextNonSpace();
    if (it.type != ItemType::kRightDelim) Unexpected(it, what);
    if (range_depth_ == 0) Errorf(what + " outside {{range}}");
    return std::make_unique<SimpleNode>(t, pos, line);
  }

  NodePtr ElseControl() {
    const Item& p = PeekNonSpace();
    if (p.type == ItemType::kIf) {
      return std::make_unique<SimpleNode>(NodeType::kElse, p.pos, p.line);
    }
    const Item& it = Expect(ItemType::kRightDelim, "else");
    return std::make_unique<SimpleNode>(NodeType::kElse, it.pos, it.line);
  }

  NodePtr EndControl() {
    const Item& it = Expect(ItemType::kRightDelim, "end");
    return std::make_unique<SimpleNode>(NodeType::kEnd, it.pos, it.line);
  }

  NodePtr BranchControl(NodeType t, const std::string& context) {
    size_t mark = vars_.size();
    auto node = std::make_unique<BranchNode>(t, 0, 0);
    node->pipe = Pipeline(context, ItemType::kRightDelim);
    node->pos = node->pipe->pos;
    node->line = node->pipe->line;
    if (t == NodeType::kRange) ++range_depth_;
    NodePtr next;
    node->list = ItemList(&next);
    if (t == NodeType::kRange) --range_depth_;
    if (next->type == NodeType::kElse) {
      if (t == NodeType::kIf && Peek().type == ItemType::kIf) {
        // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} with the last end implied.
        Next();
        node->else_list = std::make_unique<ListNode>(next->pos, next->line);
        node->else_list->nodes.push_back(BranchControl(NodeType::kIf, "if"));
      } else {
        node->else_list = ItemList(&next);
        if (next->type != NodeType::kEnd) Errorf("expected end; found " + next->String());
      }
    }
    vars_.resize(mark);
    return node;
  }

  NodePtr BlockControl() {
    const std::string context = "block clause";
    const Item& tok = NextNonSpace();
    int pos = tok.pos, line = tok.line;
    std::string name = TemplateName(tok, context);
    auto node = std::make_unique<TemplateNode>(pos, line);
    node->name = name;
    node->pipe = Pipeline(context, ItemType::kRightDelim);
    std::vector<std::string> saved = std::move(vars_);
    vars_ = {"$"};
    NodePtr end;
    auto list = ItemList(&end);
    if (end->type != NodeType::kEnd) Errorf("unexpected " + end->String() + " in " + context);
    vars_ = std::move(saved);
    AddTree(name, std::move(list));
    return node;
  }

  NodePtr TemplateControl() {
    const std::string context = "template clause";
    const Item& tok = NextNonSpace();
    int pos = tok.pos, line = tok.line;
    std::string name = TemplateName(tok, context);
    auto node = std::make_unique<TemplateNode>(pos, line);
    node->name = name;
    if (NextNonSpace().type != ItemType::kRightDelim) {
      Backup();
      node->pipe = Pipeline(context, ItemType::kRightDelim);
    }
    return node;
  }

  std::string TemplateName(const Item& tok, const std::string& context) {
    if (tok.type != ItemType::kString && tok.type != ItemType::kRawString) {
      Unexpected(tok, context);
    }
    auto unq = GoUnquote(tok.val);
    if (!unq) Errorf("invalid syntax");
    return *unq;
  }

  std::unique_ptr<PipeNode> Pipeline(const std::string& context, ItemType end) {
    const Item& first = PeekNonSpace();
    auto pipe = std::make_unique<PipeNode>(first.pos, first.line);
  decls:
    if (PeekNonSpace().type == ItemType::kVariable) {
      const Item& v = NextNonSpace();
      size_t after_var = idx_;
      bool after_is_space = Peek().type == ItemType::kSpace;
      const Item& next = PeekNonSpace();
      if (next.type == ItemType::kAssign || next.type == ItemType::kDeclare) {
        pipe->is_assign = next.type == ItemType::kAssign;
        NextNonSpace();
        pipe->decl.push_back(std::make_unique<VariableNode>(
            v.pos, v.line, std::vector<std::string>{std::string(v.val)}));
        vars_.emplace_back(v.val);
      } else if (next.type == ItemType::kChar && next.val == ",") {
        NextNonSpace();
        pipe->decl.push_back(std::make_unique<VariableNode>(
            v.pos, v.line, std::vector<std::string>{std::string(v.val)}));
        vars_.emplace_back(v.val);
        if (context == "range" && pipe->decl.size() < 2) {
          ItemType t = PeekNonSpace().type;
          if (t == ItemType::kVariable || t == ItemType::kRightDelim ||
              t == ItemType::kRightParen) {
            goto decls;
          }
          Errorf("range can only initialize variables");
        }
        Errorf("too many declarations in " + context);
      } else {
        (void)after_is_space;
        idx_ = after_var - 1;  // put the variable back
        at_end_ = false;
      }
    }
    while (true) {
      const Item& tok = NextNonSpace();
      if (tok.type == end) {
        CheckPipeline(pipe.get(), context);
        return pipe;
      }
      switch (tok.type) {
        case ItemType::kBool: case ItemType::kCharConstant: case ItemType::kComplex:
        case ItemType::kDot: case ItemType::kField: case ItemType::kIdentifier:
        case ItemType::kNumber: case ItemType::kNil: case ItemType::kRawString:
        case ItemType::kString: case ItemType::kVariable: case ItemType::kLeftParen:
          Backup();
          pipe->cmds.push_back(Command());
          break;
        default:
          Unexpected(tok, context);
      }
    }
  }

  void CheckPipeline(PipeNode* pipe, const std::string& context) {
    if (pipe->cmds.empty()) Errorf("missing value for " + context);
    for (size_t i = 1; i < pipe->cmds.size(); ++i) {
      switch (pipe->cmds[i]->args[0]->type) {
        case NodeType::kBool: case NodeType::kDot: case NodeType::kNil:
        case NodeType::kNumber: case NodeType::kString:
          Errorf("non executable command in pipeline stage " + std::to_string(i + 1));
        default: break;
      }
    }
  }

  std::unique_ptr<CommandNode> Command() {
    const Item& p = PeekNonSpace();
    auto cmd = std::make_unique<CommandNode>(p.pos, p.line);
    while (true) {
      PeekNonSpace();
      NodePtr op = Operand();
      if (op) cmd->args.push_back(std::move(op));
      const Item& tok = Next();
      if (tok.type == ItemType::kSpace) continue;
      if (tok.type == ItemType::kRightDelim || tok.type == ItemType::kRightParen) {
        Backup();
      } else if (tok.type != ItemType::kPipe) {
        Unexpected(tok, "operand");
      }
      break;
    }
    if (cmd->args.empty()) Errorf("empty command");
    return cmd;
  }

  NodePtr Operand() {
    NodePtr node = Term();
    if (!node) return nullptr;
    if (Peek().type == ItemType::kField) {
      const Item& p = Peek();
      auto chain = std::make_unique<ChainNode>(p.pos, p.line, nullptr);
      std::vector<std::string> fields;
      while (Peek().type == ItemType::kField) fields.emplace_back(Next().val.substr(1));
      switch (node->type) {
        case NodeType::kField: {
          auto* f = static_cast<FieldNode*>(node.get());
          for (auto& s : fields) f->ident.push_back(std::move(s));
          f->pos = chain->pos;
          return node;
        }
        case NodeType::kVariable: {
          auto* v = static_cast<VariableNode*>(node.get());
          for (auto& s : fields) v->ident.push_back(std::move(s));
          v->pos = chain->pos;
          return node;
        }
        case NodeType::kBool: case NodeType::kString: case NodeType::kNumber:
        case NodeType::kNil: case NodeType::kDot:
          Errorf("unexpected . after term " + GoQuote(node->String()));
        default:
          chain->node = std::move(node);
          chain->field = std::move(fields);
          return chain;
      }
    }
    return node;
  }

  NodePtr Term() {
    const Item& tok = NextNonSpace();
    switch (tok.type) {
      case ItemType::kIdentifier: {
        const FuncDef* f = FindFunc(tok.val);
        if (f == nullptr) Errorf("function " + GoQuote(tok.val) + " not defined");
        return std::make_unique<IdentifierNode>(tok.pos, tok.line, std::string(tok.val), f);
      }
      case ItemType::kDot: return std::make_unique<SimpleNode>(NodeType::kDot, tok.pos, tok.line);
      case ItemType::kNil: return std::make_unique<SimpleNode>(NodeType::kNil, tok.pos, tok.line);
      case ItemType::kVariable: {
        std::string name(tok.val);
        bool found = false;
        for (const auto& v : vars_) found |= v == name;
        if (!found) Errorf("undefined variable " + GoQuote(name));
        return std::make_unique<VariableNode>(tok.pos, tok.line, std::vector<std::string>{name});
      }
      case ItemType::kField:
        return std::make_unique<FieldNode>(tok.pos, tok.line,
                                           std::vector<std::string>{std::string(tok.val.substr(1))});
      case ItemType::kBool:
        return std::make_unique<BoolNode>(tok.pos, tok.line, tok.val == "true");
      case ItemType::kCharConstant: case ItemType::kComplex: case ItemType::kNumber: {
        auto n = std::make_unique<NumberNode>(tok.pos, tok.line);
        n->text = std::string(tok.val);
        std::string err;
        if (!ParseNumber(tok.val, tok.type == ItemType::kCharConstant,
                         tok.type == ItemType::kComplex, n.get(), &err)) {
          Errorf(err);
        }
        return n;
      }
      case ItemType::kLeftParen:
        return Pipeline("parenthesized pipeline", ItemType::kRightParen);
      case ItemType::kString: case ItemType::kRawString: {
        auto s = GoUnquote(tok.val);
        if (!s) Errorf("invalid syntax");
        return std::make_unique<StringNode>(tok.pos, tok.line, std::string(tok.val), std::move(*s));
      }
      default:
        Backup();
        return nullptr;
    }
  }

  Template::Node* set_;
  const std::vector<Item>* items_;
  size_t idx_ = 0;
  size_t last_ = 0;
  bool at_end_ = false;
  int action_line_ = 0;
  int range_depth_ = 0;
  std::vector<std::string> vars_;
};

}  // namespace

Status ParseInto(Template::Node* out) {
  std::vector<Item> items = Lex(out->source);
  try {
    Parser p(out, &items);
    p.ParseTop();
  } catch (const ParseError& e) {
    return Status::InvalidArgument(e.message);
  }
  out->root = out->trees[out->name].get();
  return Status::OK();
}

}  // namespace fenrir::query::tmpl
