#include "query/template/exec.h"

#include <algorithm>
#include <span>

#include "query/template/funcs.h"
#include "query/template/strconv.h"

namespace fenrir::query::tmpl {
namespace {

// Go's maxExecDepth is 100000; C++ stacks are smaller, so recursion stops earlier here.
constexpr int kMaxExecDepth = 10000;

std::string_view ParamTypeName(ParamType t) {
  switch (t) {
    case ParamType::kString: return "string";
    case ParamType::kInt: return "int";
    case ParamType::kFloat: return "float64";
    case ParamType::kAny: return "interface {}";
    case ParamType::kTime: return "time.Time";
  }
  return "interface {}";
}

class Executor {
 public:
  Executor(const Template::Node& set, const TemplateData& data, std::string* out)
      : set_(set), data_(data), out_(out), ctx_{&data} {
    vars_.reserve(8);
  }

  Status Run() {
    Value dot = Value::Labels(&data_);
    vars_.push_back({"$", dot});
    return Walk(dot, set_.root);
  }

 private:
  struct Var {
    std::string_view name;
    Value value;
  };
  enum class Ctrl { kNone, kBreak, kContinue };

  Status Errorf(const std::string& msg) const {
    std::string loc, context;
    if (node_ != nullptr) {
      std::string_view text = std::string_view(set_.source).substr(0, node_->pos);
      size_t nl = text.rfind('\n');
      size_t col = nl == std::string_view::npos ? text.size() : text.size() - nl - 1;
      size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
      context = node_->String();
      if (context.size() > 20) context = context.substr(0, 20) + "...";
      return Status::InvalidArgument("template: " + set_.name + ":" + std::to_string(line) + ":" +
                                     std::to_string(col) + ": executing " + GoQuote(set_.name) +
                                     " at <" + context + ">: " + msg);
    }
    return Status::InvalidArgument("template: " + set_.name + ": " + msg);
  }

  Status Walk(const Value& dot, const Node* n) {
    node_ = n;
    switch (n->type) {
      case NodeType::kAction: {
        auto* a = static_cast<const ActionNode*>(n);
        Value v;
        FENRIR_RETURN_IF_ERROR(EvalPipeline(dot, a->pipe.get(), &v));
        if (a->pipe->decl.empty()) {
          node_ = n;
          AppendValue(out_, v, "<no value>");
        }
        return Status::OK();
      }
      case NodeType::kBreak:
        ctrl_ = Ctrl::kBreak;
        return Status::OK();
      case NodeType::kContinue:
        ctrl_ = Ctrl::kContinue;
        return Status::OK();
      case NodeType::kComment:
        return Status::OK();
      case NodeType::kIf:
      case NodeType::kWith:
        return WalkIfOrWith(dot, static_cast<const BranchNode*>(n));
      case NodeType::kList:
        for (const auto& c : static_cast<const ListNode*>(n)->nodes) {
          FENRIR_RETURN_IF_ERROR(Walk(dot, c.get()));
          if (ctrl_ != Ctrl::kNone) break;
        }
        return Status::OK();
      case NodeType::kRange:
        return WalkRange(dot, static_cast<const BranchNode*>(n));
      case NodeType::kTemplate:
        return WalkTemplate(dot, static_cast<const TemplateNode*>(n));
      case NodeType::kText:
        out_->append(static_cast<const TextNode*>(n)->text);
        return Status::OK();
      default:
        return Errorf("unknown node: " + n->String());
    }
  }

  Status WalkIfOrWith(const Value& dot, const BranchNode* n) {
    size_t mark = vars_.size();
    Value v;
    Status st = EvalPipeline(dot, n->pipe.get(), &v);
    if (st.ok()) {
      if (v.Truth()) {
        st = Walk(n->type == NodeType::kWith ? v : dot, n->list.get());
      } else if (n->else_list) {
        st = Walk(dot, n->else_list.get());
      }
    }
    vars_.resize(mark);
    return st;
  }

  Status WalkRange(const Value& dot, const BranchNode* r) {
    node_ = r;
    size_t outer = vars_.size();
    Value v;
    Status st = EvalPipeline(dot, r->pipe.get(), &v);
    if (!st.ok()) return st;
    size_t mark = vars_.size();
    size_t ndecl = r->pipe->decl.size();
    bool iterated = false;
    auto one = [&](const Value& index, const Value& elem) -> Status {
      iterated = true;
      if (ndecl > 0) vars_[vars_.size() - 1].value = elem;
      if (ndecl > 1) vars_[vars_.size() - 2].value = index;
      Status s = Walk(elem, r->list.get());
      vars_.resize(mark);
      return s;
    };
    auto loop_done = [&]() {
      Ctrl c = ctrl_;
      ctrl_ = Ctrl::kNone;
      return c == Ctrl::kBreak;
    };
    switch (v.kind()) {
      case Kind::kList: {
        const List& l = v.AsList();
        for (size_t i = 0; i < l.size(); ++i) {
          FENRIR_RETURN_IF_ERROR(one(Value::Int(static_cast<int64_t>(i)), l[i]));
          if (loop_done()) break;
        }
        break;
      }
      case Kind::kMap: {
        for (const auto& [k, e] : v.AsMap()) {
          FENRIR_RETURN_IF_ERROR(one(Value::Owned(k), e));
          if (loop_done()) break;
        }
        break;
      }
      case Kind::kLabels: {
        std::vector<std::pair<std::string, std::string>> labels;
        if (data_.each) {
          data_.each([&](std::string_view k, std::string_view e) {
            labels.emplace_back(std::string(k), std::string(e));
          });
        }
        std::sort(labels.begin(), labels.end());
        for (const auto& [k, e] : labels) {
          FENRIR_RETURN_IF_ERROR(one(Value::Owned(k), Value::Owned(e)));
          if (loop_done()) break;
        }
        break;
      }
      case Kind::kNil:
        break;
      default: {
        node_ = r;
        std::string s;
        AppendValue(&s, v);
        return Errorf("range can't iterate over " + s);
      }
    }
    if (!iterated && r->else_list) {
      FENRIR_RETURN_IF_ERROR(Walk(dot, r->else_list.get()));
    }
    vars_.resize(outer);
    return Status::OK();
  }

  Status WalkTemplate(const Value& dot, const TemplateNode* t) {
    node_ = t;
    auto it = set_.trees.find(t->name);
    if (it == set_.trees.end()) return Errorf("template " + GoQuote(t->name) + " not defined");
    if (depth_ >= kMaxExecDepth) {
      return Errorf("exceeded maximum template depth (" + std::to_string(kMaxExecDepth) + ")");
    }
    Value new_dot;
    FENRIR_RETURN_IF_ERROR(EvalPipeline(dot, t->pipe.get(), &new_dot));
    std::vector<Var> saved = std::move(vars_);
    vars_.clear();
    vars_.push_back({"$", new_dot});
    ++depth_;
    Status st = Walk(new_dot, it->second.get());
    --depth_;
    vars_ = std::move(saved);
    return st;
  }

  Status EvalPipeline(const Value& dot, const PipeNode* pipe, Value* out) {
    if (pipe == nullptr) {
      *out = Value::Nil();
      return Status::OK();
    }
    node_ = pipe;
    Value value;
    bool have = false;
    for (const auto& cmd : pipe->cmds) {
      Value next;
      FENRIR_RETURN_IF_ERROR(EvalCommand(dot, cmd.get(), have ? &value : nullptr, &next));
      value = std::move(next);
      have = true;
    }
    for (const auto& v : pipe->decl) {
      if (pipe->is_assign) {
        FENRIR_RETURN_IF_ERROR(SetVar(v->ident[0], value));
      } else {
        vars_.push_back({v->ident[0], value});
      }
    }
    *out = std::move(value);
    return Status::OK();
  }

  Status SetVar(std::string_view name, const Value& v) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].name == name) {
        vars_[i].value = v;
        return Status::OK();
      }
    }
    return Errorf("undefined variable: " + std::string(name));
  }

  Status VarValue(std::string_view name, Value* out) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].name == name) {
        *out = vars_[i].value;
        return Status::OK();
      }
    }
    return Errorf("undefined variable: " + std::string(name));
  }

  using Args = std::span<const NodePtr>;

  Status NotAFunction(Args args, const Value* final) {
    if (args.size() > 1 || final != nullptr) {
      return Errorf("can't give argument to non-function " + args[0]->String());
    }
    return Status::OK();
  }

  Status EvalCommand(const Value& dot, const CommandNode* cmd, const Value* final, Value* out) {
    const Node* first = cmd->args[0].get();
    Args args(cmd->args);
    switch (first->type) {
      case NodeType::kField:
        node_ = first;
        return EvalFieldChain(dot, dot, first, static_cast<const FieldNode*>(first)->ident, args,
                              final, out);
      case NodeType::kChain:
        return EvalChain(dot, static_cast<const ChainNode*>(first), args, final, out);
      case NodeType::kIdentifier:
        return EvalFunction(dot, static_cast<const IdentifierNode*>(first), cmd, args, final, out);
      case NodeType::kPipe:
        FENRIR_RETURN_IF_ERROR(NotAFunction(args, final));
        return EvalPipeline(dot, static_cast<const PipeNode*>(first), out);
      case NodeType::kVariable:
        return EvalVariable(dot, static_cast<const VariableNode*>(first), args, final, out);
      default:
        break;
    }
    node_ = first;
    FENRIR_RETURN_IF_ERROR(NotAFunction(args, final));
    switch (first->type) {
      case NodeType::kBool:
        *out = Value::Bool(static_cast<const BoolNode*>(first)->value);
        return Status::OK();
      case NodeType::kDot:
        *out = dot;
        return Status::OK();
      case NodeType::kNil:
        return Errorf("nil is not a command");
      case NodeType::kNumber:
        return IdealConstant(static_cast<const NumberNode*>(first), out);
      case NodeType::kString:
        *out = Value::Borrowed(static_cast<const StringNode*>(first)->text);
        return Status::OK();
      default:
        return Errorf("can't evaluate command " + GoQuote(first->String()));
    }
  }

  Status IdealConstant(const NumberNode* n, Value* out) {
    node_ = n;
    const std::string& t = n->text;
    bool hex_int = t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') &&
                   t.find_first_of("pP") == std::string::npos;
    bool rune_int = !t.empty() && t[0] == '\'';
    if (n->is_float && !hex_int && !rune_int && t.find_first_of(".eEpP") != std::string::npos) {
      *out = Value::Float(n->f);
      return Status::OK();
    }
    if (n->is_int) {
      *out = Value::Int(n->i);
      return Status::OK();
    }
    if (n->is_uint) return Errorf(t + " overflows int");
    *out = Value::Nil();
    return Status::OK();
  }

  Status EvalChain(const Value& dot, const ChainNode* chain, Args args, const Value* final,
                   Value* out) {
    node_ = chain;
    if (chain->node->type == NodeType::kNil) {
      return Errorf("indirection through explicit nil in " + chain->String());
    }
    Value pipe;
    FENRIR_RETURN_IF_ERROR(EvalArg(dot, ParamType::kAny, chain->node.get(), &pipe));
    return EvalFieldChain(dot, pipe, chain, chain->field, args, final, out);
  }

  Status EvalVariable(const Value& dot, const VariableNode* v, Args args, const Value* final,
                      Value* out) {
    node_ = v;
    Value value;
    FENRIR_RETURN_IF_ERROR(VarValue(v->ident[0], &value));
    if (v->ident.size() == 1) {
      FENRIR_RETURN_IF_ERROR(NotAFunction(args, final));
      *out = std::move(value);
      return Status::OK();
    }
    std::span<const std::string> fields(v->ident);
    return EvalFieldChain(dot, value, v, fields.subspan(1), args, final, out);
  }

  Status EvalFieldChain(const Value& dot, Value receiver, const Node* node,
                        std::span<const std::string> ident, Args args, const Value* final,
                        Value* out) {
    for (size_t i = 0; i + 1 < ident.size(); ++i) {
      Value next;
      FENRIR_RETURN_IF_ERROR(EvalField(dot, ident[i], node, {}, nullptr, receiver, &next));
      receiver = std::move(next);
    }
    return EvalField(dot, ident.back(), node, args, final, receiver, out);
  }

  Status EvalField(const Value& dot, const std::string& name, const Node* node, Args args,
                   const Value* final, const Value& receiver, Value* out) {
    if (receiver.is_nil()) {
      *out = Value::Nil();
      return Status::OK();
    }
    if (receiver.kind() == Kind::kTime) {
      if (const FuncDef* m = FindTimeMethod(name)) {
        return EvalCall(dot, m, node, name, args, final, out, &receiver);
      }
    }
    bool has_args = args.size() > 1 || final != nullptr;
    if (receiver.kind() == Kind::kLabels) {
      if (has_args) return Errorf(name + " is not a method but has arguments");
      const std::string* v = data_.lookup ? data_.lookup(name) : nullptr;
      *out = Value::Borrowed(v != nullptr ? std::string_view(*v) : std::string_view());
      return Status::OK();
    }
    if (receiver.kind() == Kind::kMap) {
      if (has_args) return Errorf(name + " is not a method but has arguments");
      const Map& m = receiver.AsMap();
      auto it = m.find(name);
      *out = it == m.end() ? Value::Nil() : it->second;
      return Status::OK();
    }
    return Errorf("can't evaluate field " + name + " in type " + std::string(receiver.TypeName()));
  }

  Status EvalFunction(const Value& dot, const IdentifierNode* id, const Node* cmd, Args args,
                      const Value* final, Value* out) {
    node_ = id;
    return EvalCall(dot, id->func, cmd, id->ident, args, final, out, nullptr);
  }

  // args, when non-empty, includes the function's own node at [0]. receiver binds a method.
  Status EvalCall(const Value& dot, const FuncDef* fn, const Node* node, const std::string& name,
                  Args args, const Value* final, Value* out, const Value* receiver) {
    if (!args.empty()) args = args.subspan(1);
    size_t num_in = args.size() + (final != nullptr ? 1 : 0);
    size_t nparams = fn->params.size();
    size_t num_fixed = args.size();
    if (fn->variadic) {
      num_fixed = nparams - 1;
      if (num_in < num_fixed) {
        return Errorf("wrong number of args for " + name + ": want at least " +
                      std::to_string(nparams - 1) + " got " + std::to_string(args.size()));
      }
    } else if (num_in != nparams) {
      return Errorf("wrong number of args for " + name + ": want " + std::to_string(nparams) +
                    " got " + std::to_string(num_in));
    }
    if (fn->short_circuit) return EvalAndOr(dot, name == "or", args, final, out);
    Value stack_argv[6];
    std::vector<Value> heap_argv;
    Value* argv = stack_argv;
    size_t extra = receiver != nullptr ? 1 : 0;
    if (num_in + extra > 6) {
      heap_argv.resize(num_in + extra);
      argv = heap_argv.data();
    }
    if (receiver != nullptr) argv[0] = *receiver;
    size_t i = 0;
    for (; i < num_fixed && i < args.size(); ++i) {
      FENRIR_RETURN_IF_ERROR(EvalArg(dot, fn->params[i], args[i].get(), &argv[extra + i]));
    }
    if (fn->variadic) {
      for (; i < args.size(); ++i) {
        FENRIR_RETURN_IF_ERROR(EvalArg(dot, fn->params.back(), args[i].get(), &argv[extra + i]));
      }
    }
    if (final != nullptr) {
      ParamType t = fn->params.back();
      if (fn->variadic && num_in - 1 < num_fixed) t = fn->params[num_in - 1];
      FENRIR_RETURN_IF_ERROR(ValidateType(*final, t, &argv[extra + i]));
    }
    Status st = fn->impl(ctx_, std::span<const Value>(argv, num_in + extra), out);
    if (!st.ok()) {
      node_ = node;
      return Errorf("error calling " + name + ": " + st.message());
    }
    return Status::OK();
  }

  Status EvalAndOr(const Value& dot, bool is_or, Args args, const Value* final, Value* out) {
    Value v;
    for (const auto& a : args) {
      FENRIR_RETURN_IF_ERROR(EvalArg(dot, ParamType::kAny, a.get(), &v));
      if (v.Truth() == is_or) {
        *out = std::move(v);
        return Status::OK();
      }
    }
    if (final != nullptr) v = *final;
    *out = std::move(v);
    return Status::OK();
  }

  Status ValidateType(const Value& v, ParamType t, Value* out) {
    if (t == ParamType::kAny) {
      *out = v;
      return Status::OK();
    }
    if (v.is_nil()) return Errorf("invalid value; expected " + std::string(ParamTypeName(t)));
    bool ok = (t == ParamType::kString && v.kind() == Kind::kString) ||
              (t == ParamType::kInt && v.kind() == Kind::kInt) ||
              (t == ParamType::kFloat && v.kind() == Kind::kFloat) ||
              (t == ParamType::kTime && v.kind() == Kind::kTime);
    if (!ok) {
      return Errorf("wrong type for value; expected " + std::string(ParamTypeName(t)) + "; got " +
                    std::string(v.TypeName()));
    }
    *out = v;
    return Status::OK();
  }

  Status EvalArg(const Value& dot, ParamType t, const Node* n, Value* out) {
    node_ = n;
    Value v;
    switch (n->type) {
      case NodeType::kDot:
        return ValidateType(dot, t, out);
      case NodeType::kNil:
        if (t == ParamType::kAny) {
          *out = Value::Nil();
          return Status::OK();
        }
        return Errorf("cannot assign nil to " + std::string(ParamTypeName(t)));
      case NodeType::kField: {
        auto* f = static_cast<const FieldNode*>(n);
        NodePtr const* self = nullptr;
        (void)self;
        FENRIR_RETURN_IF_ERROR(EvalFieldChain(dot, dot, n, f->ident, {}, nullptr, &v));
        return ValidateType(v, t, out);
      }
      case NodeType::kVariable:
        FENRIR_RETURN_IF_ERROR(
            EvalVariable(dot, static_cast<const VariableNode*>(n), {}, nullptr, &v));
        return ValidateType(v, t, out);
      case NodeType::kPipe:
        FENRIR_RETURN_IF_ERROR(EvalPipeline(dot, static_cast<const PipeNode*>(n), &v));
        return ValidateType(v, t, out);
      case NodeType::kIdentifier: {
        auto* id = static_cast<const IdentifierNode*>(n);
        FENRIR_RETURN_IF_ERROR(EvalCall(dot, id->func, n, id->ident, {}, nullptr, &v, nullptr));
        return ValidateType(v, t, out);
      }
      case NodeType::kChain:
        FENRIR_RETURN_IF_ERROR(
            EvalChain(dot, static_cast<const ChainNode*>(n), {}, nullptr, &v));
        return ValidateType(v, t, out);
      default:
        break;
    }
    switch (t) {
      case ParamType::kFloat:
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_float) {
          *out = Value::Float(static_cast<const NumberNode*>(n)->f);
          return Status::OK();
        }
        return Errorf("expected float; found " + n->String());
      case ParamType::kInt:
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_int) {
          *out = Value::Int(static_cast<const NumberNode*>(n)->i);
          return Status::OK();
        }
        return Errorf("expected integer; found " + n->String());
      case ParamType::kString:
        if (n->type == NodeType::kString) {
          *out = Value::Borrowed(static_cast<const StringNode*>(n)->text);
          return Status::OK();
        }
        return Errorf("expected string; found " + n->String());
      case ParamType::kAny:
        switch (n->type) {
          case NodeType::kBool:
            *out = Value::Bool(static_cast<const BoolNode*>(n)->value);
            return Status::OK();
          case NodeType::kNumber:
            return IdealConstant(static_cast<const NumberNode*>(n), out);
          case NodeType::kString:
            *out = Value::Borrowed(static_cast<const StringNode*>(n)->text);
            return Status::OK();
          default:
            return Errorf("can't handle assignment of " + n->String() +
                          " to empty interface argument");
        }
      case ParamType::kTime:
        break;
    }
    return Errorf("can't handle " + n->String() + " for arg of type " +
                  std::string(ParamTypeName(t)));
  }

  const Template::Node& set_;
  const TemplateData& data_;
  std::string* out_;
  CallContext ctx_;
  const Node* node_ = nullptr;
  std::vector<Var> vars_;
  Ctrl ctrl_ = Ctrl::kNone;
  int depth_ = 0;
};

}  // namespace

Status ExecuteTemplate(const Template::Node& set, const TemplateData& data, std::string* out) {
  Executor e(set, data, out);
  return e.Run();
}

}  // namespace fenrir::query::tmpl
