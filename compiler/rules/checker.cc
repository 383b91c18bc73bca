#include "compiler/rules/checker.h"

#include <optional>
#include <string>
#include <vector>

#include "plan/phase.h"
#include "rules/functions.h"
#include "rules/resolve.h"
#include "rules/scheme.h"
#include "rules/strings.h"
#include "rules/typing.h"

namespace gatehouse::rules {
namespace {

// The response phases are the edge's pipeline's (plan/phase.h): one list, not a second here.
bool IsResponsePhaseName(std::string_view name) {
  const std::optional<plan::Phase> phase = plan::PhaseFromName(name);
  return phase.has_value() && plan::IsResponsePhase(*phase);
}

// "http_custom_errors, http_response_headers_transform" for diagnostics.
std::string ResponsePhaseNames() {
  std::string out;
  for (plan::Phase phase : plan::kAllPhases) {
    if (!plan::IsResponsePhase(phase)) continue;
    if (!out.empty()) out += ", ";
    out += plan::PhaseName(phase);
  }
  return out;
}

// Resolves names (fields, functions, lists) with the hints only a person needs ("did you
// mean"), then applies the typing rules and builds the run-time parts shared with the IR linker
// (rules/typing.h, rules/resolve.h), turning their errors into diagnostics at source spans.
class Checker {
 public:
  Checker(const CheckContext& context, DiagnosticSink& sink)
      : context_(context), sink_(sink), regexes_(context.limits) {}

  bool Run(Expr& root) {
    int errors_before = sink_.error_count();
    CheckNode(root);
    std::string root_error = CheckRootType(root, context_.kind);
    if (!root_error.empty()) Error(root, root.span, std::move(root_error));
    return sink_.error_count() == errors_before;
  }

 private:
  void Error(Expr& node, Span span, std::string message) {
    sink_.Error(span, std::move(message));
    node.type = Type::Error();
  }

  static Span SpanOf(const Expr& e, const TypingError& error) {
    switch (error.at) {
      case TypingError::At::kNode: return e.span;
      case TypingError::At::kOperator: return e.op_span;
      case TypingError::At::kChild: return e.children[error.index]->span;
      case TypingError::At::kSetItem: return e.set_items[error.index].span;
    }
    return e.span;
  }

  // Reports the typing's errors and gives the node its type; on success builds its run-time
  // parts (regex, wildcard, set).
  void Apply(Expr& e, NodeTyping typing) {
    for (const TypingError& error : typing.errors) sink_.Error(SpanOf(e, error), error.message);
    e.type = std::move(typing.type);
    e.mapped = typing.mapped;
    if (e.type.is_error()) return;
    if (std::optional<TypingError> error = BuildRunTimeParts(e, regexes_)) {
      Error(e, SpanOf(e, *error), std::move(error->message));
    }
  }

  void CheckChildren(Expr& e) {
    for (auto& child : e.children) CheckNode(*child);
  }

  void CheckNode(Expr& e) {
    switch (e.kind) {
      case ExprKind::kError:
        e.type = Type::Error();
        return;
      case ExprKind::kField:
        return CheckField(e);
      case ExprKind::kStringLiteral:
      case ExprKind::kIntLiteral:
      case ExprKind::kIpLiteral:
        return Apply(e, TypeLeaf(e));
      case ExprKind::kCall:
        return CheckCall(e);
      case ExprKind::kIndex:
        CheckChildren(e);
        return Apply(e, TypeIndex(e));
      case ExprKind::kMapEach:
        CheckChildren(e);
        return Apply(e, TypeMapEach(e));
      case ExprKind::kCompare:
        CheckChildren(e);
        return Apply(e, TypeCompare(e));
      case ExprKind::kInSet:
        CheckChildren(e);
        return Apply(e, TypeInSet(e));
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
    // A deprecated spelling (ip.geoip.country) is the field it stands for, as the IR has it.
    e.text = std::string(e.field->name);
    if (e.field->response_only && !IsResponsePhaseName(context_.phase)) {
      Error(e, e.span,
            Cat("field '", e.text, "' is only available in response phases (",
                ResponsePhaseNames(), "), not in phase '", context_.phase, "'"));
      return;
    }
    Apply(e, TypeLeaf(e));
  }

  void CheckCall(Expr& e) {
    e.function = FindFunction(e.text);
    CheckChildren(e);
    if (e.function == nullptr) {
      std::string_view suggestion = SuggestFunction(e.text);
      Error(e, e.op_span,
            Cat("unknown function '", e.text, "'",
                suggestion.empty() ? "" : Cat("; did you mean '", suggestion, "'?")));
      return;
    }
    Apply(e, TypeCall(e, context_.kind));
  }

  void CheckInList(Expr& e) {
    CheckChildren(e);
    const CompiledList* list = nullptr;
    if (context_.lists != nullptr) {
      auto it = context_.lists->find(e.text);
      if (it != context_.lists->end()) list = &it->second;
    }
    Apply(e, TypeInList(e, list));
    if (!e.type.is_error()) e.set = list->set;
  }

  // Operand by operand, so diagnostics come in source order.
  void CheckLogical(Expr& e) {
    e.type = Type::Bool();
    for (auto& child : e.children) {
      CheckNode(*child);
      std::string error = LogicalOperandError(e, *child);
      if (!error.empty()) sink_.Error(child->span, std::move(error));
      if (child->type.is_error() || !error.empty()) e.type = Type::Error();
    }
  }

  const CheckContext& context_;
  DiagnosticSink& sink_;
  RegexCompiler regexes_;
};

}  // namespace

bool Check(Expr& root, const CheckContext& context, DiagnosticSink& sink) {
  return Checker(context, sink).Run(root);
}

}  // namespace gatehouse::rules
