#include "compiler/rules/checker.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "re2/re2.h"
#include "rules/functions.h"
#include "rules/scheme.h"
#include "rules/strings.h"
#include "rules/wildcard.h"

namespace gatehouse::rules {
namespace {

bool IsOrdered(const Type& t) { return t == Type::Int() || t == Type::Bytes(); }
bool IsScalar(const Type& t) { return !t.is_container() && !t.is_error(); }

// How a node's type reads in a "found" clause: per-element values from [*] say so.
std::string Found(const Expr& e) {
  if (e.mapped) return Cat("per-element ", e.type.ToString(), " from [*]");
  return e.type.ToString();
}

class Checker {
 public:
  Checker(const CheckContext& context, DiagnosticSink& sink) : context_(context), sink_(sink) {}

  bool Run(Expr& root) {
    int errors_before = sink_.error_count();
    CheckNode(root);
    if (!root.type.is_error()) {
      if (context_.kind == ExpressionKind::kFilter) {
        if (!(root.type == Type::Bool()) || root.mapped) {
          Error(root, root.span,
                Cat("a filter must be a Bool expression, found ", Found(root),
                             root.mapped ? "; wrap it in any() or all()" : ""));
        }
      } else if (!IsScalar(root.type) || root.type == Type::Ip() || root.mapped) {
        Error(root, root.span,
              Cat("a value expression must be Bytes, Int or Bool, found ", Found(root)));
      }
    }
    return sink_.error_count() == errors_before;
  }

 private:
  void Error(Expr& node, Span span, std::string message) {
    sink_.Error(span, std::move(message));
    node.type = Type::Error();
  }

  void CheckNode(Expr& e) {
    switch (e.kind) {
      case ExprKind::kError:
        e.type = Type::Error();
        return;
      case ExprKind::kField:
        return CheckField(e);
      case ExprKind::kStringLiteral:
        e.type = Type::Bytes();
        return;
      case ExprKind::kIntLiteral:
        e.type = Type::Int();
        return;
      case ExprKind::kIpLiteral:
        e.type = Type::Ip();
        return;
      case ExprKind::kCall:
        return CheckCall(e);
      case ExprKind::kIndex:
        return CheckIndex(e);
      case ExprKind::kMapEach:
        return CheckMapEach(e);
      case ExprKind::kCompare:
        return CheckCompare(e);
      case ExprKind::kInSet:
        return CheckInSet(e);
      case ExprKind::kInList:
        return CheckInList(e);
      case ExprKind::kNot:
      case ExprKind::kLogical:
        return CheckLogical(e);
    }
  }

  void CheckField(Expr& e) {
    e.field = FindField(e.text);
    if (e.field == nullptr) {
      std::string_view suggestion = SuggestField(e.text);
      Error(e, e.span,
            Cat("unknown field '", e.text, "'",
                         suggestion.empty() ? "" : Cat("; did you mean '", suggestion, "'?")));
      return;
    }
    if (e.field->response_only && !IsResponsePhase(context_.phase)) {
      Error(e, e.span,
            Cat("field '", e.text, "' is only available in response phases (",
                         ResponsePhaseList(), "), not in phase '", context_.phase, "'"));
      return;
    }
    e.type = e.field->type;
  }

  void CheckCall(Expr& e) {
    e.function = FindFunction(e.text);
    for (auto& child : e.children) CheckNode(*child);
    const FunctionDefinition* f = e.function;
    if (f == nullptr) {
      std::string_view suggestion = SuggestFunction(e.text);
      Error(e, e.op_span,
            Cat("unknown function '", e.text, "'",
                         suggestion.empty() ? "" : Cat("; did you mean '", suggestion, "'?")));
      return;
    }
    if (f->value_only && context_.kind == ExpressionKind::kFilter) {
      Error(e, e.op_span,
            Cat(f->name, "() is only available in value expressions (rewrites and "
                                  "redirects), not in filters"));
      return;
    }
    int n = static_cast<int>(e.children.size());
    if (n < f->min_arguments || (f->max_arguments >= 0 && n > f->max_arguments)) {
      std::string want = f->min_arguments == f->max_arguments
                             ? Cat(f->min_arguments)
                             : f->max_arguments < 0
                                   ? Cat("at least ", f->min_arguments)
                                   : Cat(f->min_arguments, " to ", f->max_arguments);
      Error(e, e.span,
            Cat(f->name, "() takes ", want, " argument", want == "1" ? "" : "s",
                         ", found ", n));
      return;
    }
    std::vector<Type> types;
    std::vector<const Expr*> args;
    int mapped = -1;
    for (int i = 0; i < n; ++i) {
      Expr& arg = *e.children[static_cast<size_t>(i)];
      if (arg.type.is_error()) {
        e.type = Type::Error();
        return;
      }
      if (arg.mapped && !f->consumes_arrays) {
        if (mapped >= 0) {
          Error(e, arg.span, Cat(f->name, "() can take only one [*] argument"));
          return;
        }
        mapped = i;
      }
      // A function that consumes arrays sees a [*] value as the array it is.
      types.push_back(arg.mapped && f->consumes_arrays ? Type::Array(arg.type) : arg.type);
      args.push_back(&arg);
    }
    Resolution r = f->resolve(types, args);
    if (!r.error.empty()) {
      Span span = r.bad_argument >= 0 ? args[static_cast<size_t>(r.bad_argument)]->span : e.span;
      Error(e, span,
            r.bad_argument >= 0
                ? Cat("argument ", r.bad_argument + 1, " of ", f->name, "(): ", r.error)
                : Cat(f->name, "(): ", r.error));
      return;
    }
    e.type = r.result;
    e.mapped = mapped >= 0;
    if (f->regex_argument >= 0) {
      e.regex = CompileRegex(e, *e.children[static_cast<size_t>(f->regex_argument)]);
      if (e.regex == nullptr) return;
      int highest = HighestReplacementReference(e.children[2]->text);
      if (highest > e.regex->NumberOfCapturingGroups() || highest > 9) {
        Error(e, e.children[2]->span,
              Cat("the replacement refers to ${", highest, "} but the regex has ",
                           e.regex->NumberOfCapturingGroups(), " capture group(s)"));
      }
    }
    if (f->wildcard_argument >= 0) {
      e.wildcard = std::make_shared<const WildcardPattern>(
          e.children[static_cast<size_t>(f->wildcard_argument)]->text);
    }
  }

  std::shared_ptr<const re2::RE2> CompileRegex(Expr& node, const Expr& literal) {
    if (++regex_count_ > context_.limits.max_regexes_per_expression) {
      Error(node, literal.span,
            Cat("too many regexes in one expression (limit ",
                         context_.limits.max_regexes_per_expression, ")"));
      return nullptr;
    }
    re2::RE2::Options options;
    options.set_encoding(re2::RE2::Options::EncodingLatin1);  // byte-oriented, like Cloudflare
    options.set_log_errors(false);
    auto regex = std::make_shared<const re2::RE2>(literal.text, options);
    if (!regex->ok()) {
      Error(node, literal.span, Cat("invalid regex: ", regex->error()));
      return nullptr;
    }
    if (regex->ProgramSize() > context_.limits.max_regex_program_size) {
      Error(node, literal.span,
            Cat("regex is too complex (program size ", regex->ProgramSize(),
                         ", limit ", context_.limits.max_regex_program_size, ")"));
      return nullptr;
    }
    return regex;
  }

  void CheckIndex(Expr& e) {
    Expr& base = *e.children[0];
    Expr& key = *e.children[1];
    CheckNode(base);
    CheckNode(key);
    if (base.type.is_error()) {
      e.type = Type::Error();
      return;
    }
    bool by_string = key.kind == ExprKind::kStringLiteral;
    if (base.type.kind() == Type::Kind::kMap && !by_string) {
      Error(e, key.span, Cat("a map is indexed by a string key, found an integer"));
      return;
    }
    if (base.type.kind() == Type::Kind::kArray && by_string) {
      Error(e, key.span, Cat("an array is indexed by an integer, found a string"));
      return;
    }
    if (!base.type.is_container()) {
      Error(e, e.op_span,
            Cat("only arrays and maps can be indexed, found ", base.type.ToString()));
      return;
    }
    if (!by_string && key.int_value < 0) {
      Error(e, key.span, "an array index must not be negative");
      return;
    }
    if (by_string && base.field != nullptr &&
        (base.field->id == FieldId::kHeaders || base.field->id == FieldId::kResponseHeaders) &&
        ToLower(key.text) != key.text) {
      Error(e, key.span,
            Cat("header names are lower-cased in ", base.field->name, "; write \"",
                         ToLower(key.text), "\""));
      return;
    }
    e.type = base.type.element();
    e.mapped = base.mapped;
  }

  void CheckMapEach(Expr& e) {
    Expr& base = *e.children[0];
    CheckNode(base);
    if (base.type.is_error()) {
      e.type = Type::Error();
      return;
    }
    if (!base.type.is_container()) {
      Error(e, e.op_span,
            Cat("[*] needs an array or a map, found ", base.type.ToString()));
      return;
    }
    if (base.mapped) {
      Error(e, e.op_span, "[*] cannot be nested inside another [*]");
      return;
    }
    e.type = base.type.element();
    e.mapped = true;
  }

  // Checks the left operand of a comparison-like node; false if it already failed.
  bool CheckLeft(Expr& e) {
    CheckNode(*e.children[0]);
    if (e.children[0]->type.is_error()) {
      e.type = Type::Error();
      return false;
    }
    e.mapped = e.children[0]->mapped;
    e.type = Type::Bool();
    return true;
  }

  void CheckCompare(Expr& e) {
    bool left_ok = CheckLeft(e);
    Expr& rhs = *e.children[1];
    CheckNode(rhs);
    if (!left_ok || rhs.type.is_error()) {
      e.type = Type::Error();
      return;
    }
    Expr& lhs = *e.children[0];
    std::string_view op = CompareOpName(e.compare_op);
    if (rhs.mapped) {
      Error(e, rhs.span, "[*] is only allowed on the left of a comparison");
      return;
    }
    auto need_left = [&](bool ok, std::string_view want) {
      if (!ok) {
        Error(e, lhs.span,
              Cat("'", op, "' expects ", want, " on its left, found ", lhs.type.ToString()));
      }
      return ok;
    };
    switch (e.compare_op) {
      case CompareOp::kEq:
      case CompareOp::kNe:
        if (!need_left(IsScalar(lhs.type), "Bytes, Int, Bool or Ip")) return;
        break;
      case CompareOp::kLt:
      case CompareOp::kLe:
      case CompareOp::kGt:
      case CompareOp::kGe:
        if (!need_left(IsOrdered(lhs.type), "Int or Bytes")) return;
        break;
      case CompareOp::kContains:
        if (!need_left(lhs.type == Type::Bytes(), "Bytes")) return;
        break;
      case CompareOp::kBitAnd:
        if (!need_left(lhs.type == Type::Int(), "Int")) return;
        break;
      case CompareOp::kMatches:
      case CompareOp::kWildcard:
      case CompareOp::kStrictWildcard:
        if (!need_left(lhs.type == Type::Bytes(), "Bytes")) return;
        if (rhs.kind != ExprKind::kStringLiteral) {
          Error(e, rhs.span, Cat("'", op, "' expects a string literal pattern on its "
                                          "right, found ", rhs.type.ToString()));
          return;
        }
        if (e.compare_op == CompareOp::kMatches) {
          e.regex = CompileRegex(e, rhs);
        } else {
          e.wildcard = std::make_shared<const WildcardPattern>(rhs.text);
        }
        return;
    }
    if (!(rhs.type == lhs.type)) {
      Error(e, rhs.span,
            Cat("'", op, "' compares ", lhs.type.ToString(), " on its left, so expected ",
                         lhs.type.ToString(), " on its right, found ", rhs.type.ToString()));
    }
  }

  void CheckInSet(Expr& e) {
    if (!CheckLeft(e)) return;
    const Type& t = e.children[0]->type;
    if (!(t == Type::Bytes() || t == Type::Int() || t == Type::Ip())) {
      Error(e, e.children[0]->span,
            Cat("'in' expects Bytes, Int or Ip on its left, found ", t.ToString()));
      return;
    }
    ValueSet::Builder builder;
    for (const SetItem& item : e.set_items) {
      using K = SetItem::Kind;
      bool ok = t == Type::Bytes()  ? item.kind == K::kString
                : t == Type::Int() ? item.kind == K::kInt || item.kind == K::kIntRange
                                   : item.kind == K::kIp || item.kind == K::kIpRange;
      if (!ok) {
        std::string_view want = t == Type::Bytes()  ? "a string"
                                : t == Type::Int() ? "an integer or integer range"
                                                   : "an IP address, CIDR or IP range";
        std::string_view found = item.kind == K::kString                               ? "a string"
                                 : item.kind == K::kInt || item.kind == K::kIntRange ? "an integer"
                                                                                      : "an IP address";
        Error(e, item.span,
              Cat("a set of ", t.ToString(), " values needs ", want, ", found ", found));
        continue;
      }
      switch (item.kind) {
        case K::kString: builder.AddBytes(item.text); break;
        case K::kInt:
        case K::kIntRange: builder.AddIntRange(item.low, item.high); break;
        case K::kIp:
        case K::kIpRange: builder.AddIpRange(item.ip); break;
      }
    }
    e.set = std::make_shared<const ValueSet>(std::move(builder).Build());
  }

  void CheckInList(Expr& e) {
    if (!CheckLeft(e)) return;
    const Type& t = e.children[0]->type;
    auto it = context_.lists == nullptr ? ListTable::const_iterator() : context_.lists->find(e.text);
    if (context_.lists == nullptr || it == context_.lists->end()) {
      Error(e, e.op_span, Cat("unknown list $", e.text, "; lists are declared in the "
                                       "zone's \"lists\""));
      return;
    }
    if (!(it->second.element_type == t)) {
      Error(e, e.children[0]->span,
            Cat("list $", e.text, " holds ", it->second.element_type.ToString(),
                         " values, so expected ", it->second.element_type.ToString(),
                         " on the left of 'in', found ", t.ToString()));
      return;
    }
    e.set = it->second.set;
  }

  void CheckLogical(Expr& e) {
    e.type = Type::Bool();
    std::string_view op = e.kind == ExprKind::kNot ? "not" : LogicalOpName(e.logical_op);
    for (auto& child : e.children) {
      CheckNode(*child);
      if (child->type.is_error()) {
        e.type = Type::Error();
        continue;
      }
      if (!(child->type == Type::Bool()) || child->mapped) {
        sink_.Error(child->span,
                    Cat("'", op, "' expects Bool operands, found ", Found(*child),
                                 child->mapped ? "; wrap it in any() or all()" : ""));
        e.type = Type::Error();
      }
    }
  }

  const CheckContext& context_;
  DiagnosticSink& sink_;
  int regex_count_ = 0;
};

}  // namespace

bool Check(Expr& root, const CheckContext& context, DiagnosticSink& sink) {
  return Checker(context, sink).Run(root);
}

}  // namespace gatehouse::rules
