#include "rules/ir_reader.h"

#include <algorithm>
#include <vector>

#include "rules/functions.h"
#include "rules/ir_codes.h"
#include "rules/resolve.h"
#include "rules/scheme.h"
#include "rules/strings.h"
#include "rules/typing.h"

namespace gatehouse::rules {
namespace {

using ir::v1::Node;

class Reader {
 public:
  Reader(const ir::v1::Expression& ir, ExpressionKind kind, const ListTable& lists,
         const Limits& limits)
      : ir_(ir), kind_(kind), lists_(lists), limits_(limits), regexes_(limits) {}

  absl::StatusOr<std::unique_ptr<Expr>> Run() {
    size_t count = static_cast<size_t>(ir_.nodes_size());
    if (count == 0) return absl::InvalidArgumentError("IR expression has no nodes");
    if (count > MaxTreeNodes(limits_)) {
      return absl::InvalidArgumentError(Cat("IR expression has ", count, " nodes; the limit is ",
                                            MaxTreeNodes(limits_)));
    }
    built_.resize(count);
    depth_.resize(count);
    for (size_t i = 0; i < count; ++i) {
      absl::Status status = ReadNode(i);
      if (!status.ok()) return status;
    }
    for (size_t i = 0; i + 1 < count; ++i) {
      if (built_[i] != nullptr) {
        return Error(i, "is no node's child (only the last node, the root, may be)");
      }
    }
    std::unique_ptr<Expr> root = std::move(built_.back());
    std::string root_error = CheckRootType(*root, kind_);
    if (!root_error.empty()) return absl::InvalidArgumentError(Cat(Name(count - 1), ", the root: ", root_error));
    return root;
  }

 private:
  // "IR node 7 (compare)".
  std::string Name(size_t i) const {
    std::optional<ExprKind> kind = ir_codes::DecodeKind(ir_.nodes(static_cast<int>(i)).kind());
    return Cat("IR node ", i, kind ? Cat(" (", ir_codes::NodeKindName(*kind), ")") : "");
  }

  absl::Status Error(size_t i, std::string_view message) const {
    return absl::InvalidArgumentError(Cat(Name(i), " ", message));
  }

  absl::Status TypingFailure(size_t i, const Node& node, const TypingError& error) const {
    std::string at;
    switch (error.at) {
      case TypingError::At::kNode: break;
      case TypingError::At::kOperator: at = ", operator"; break;
      case TypingError::At::kChild:
        at = Cat(", child ", error.index, " (node ", node.children(static_cast<int>(error.index)),
                 ")");
        break;
      case TypingError::At::kSetItem: at = Cat(", set item ", error.index); break;
    }
    return absl::InvalidArgumentError(Cat(Name(i), at, ": ", error.message));
  }

  // Children per kind, as the parser builds them.
  static bool ChildCountFits(ExprKind kind, size_t n) {
    switch (kind) {
      case ExprKind::kField:
      case ExprKind::kStringLiteral:
      case ExprKind::kIntLiteral:
      case ExprKind::kIpLiteral: return n == 0;
      case ExprKind::kIndex:
      case ExprKind::kCompare: return n == 2;
      case ExprKind::kMapEach:
      case ExprKind::kInSet:
      case ExprKind::kInList:
      case ExprKind::kNot: return n == 1;
      case ExprKind::kLogical: return n >= 2;
      case ExprKind::kCall: return true;  // the function's arity is a typing rule
      case ExprKind::kError: return false;
    }
    return false;
  }

  absl::Status ReadNode(size_t i) {
    const Node& node = ir_.nodes(static_cast<int>(i));
    std::optional<ExprKind> kind = ir_codes::DecodeKind(node.kind());
    if (!kind) return Error(i, Cat("has unknown kind ", node.kind()));
    if (!ChildCountFits(*kind, static_cast<size_t>(node.children_size()))) {
      return Error(i, Cat("has ", node.children_size(), " children, which a ",
                          ir_codes::NodeKindName(*kind), " node cannot have"));
    }
    auto e = std::make_unique<Expr>();
    e->kind = *kind;
    int depth = 1;
    for (uint32_t child : node.children()) {
      if (child >= i) {
        return Error(i, Cat("names node ", child, " as a child; children come before parents"));
      }
      if (built_[child] == nullptr) {
        return Error(i, Cat("names node ", child, " as a child, which is already another's"));
      }
      depth = std::max(depth, depth_[child] + 1);
      e->children.push_back(std::move(built_[child]));
    }
    if (depth > MaxTreeDepth(limits_)) {
      return Error(i, Cat("is ", depth, " nodes deep; the limit is ", MaxTreeDepth(limits_)));
    }
    depth_[i] = depth;

    const CompiledList* list = nullptr;
    absl::Status payload = ReadPayload(i, node, *e, &list);
    if (!payload.ok()) return payload;

    NodeTyping typing = Type(*e, list);
    if (!typing.errors.empty()) return TypingFailure(i, node, typing.errors.front());
    if (!typing.ok()) return Error(i, "does not type");  // unreachable: children are typed
    std::optional<rules::Type> stored = ir_codes::DecodeType(node.type());
    if (!stored) return Error(i, "has a malformed type");
    if (!(*stored == typing.type) || node.mapped() != typing.mapped) {
      return Error(i, Cat("has the stored type ", node.mapped() ? "per-element " : "",
                          stored->ToString(), ", but it checks as ",
                          typing.mapped ? "per-element " : "", typing.type.ToString()));
    }
    e->type = typing.type;
    e->mapped = typing.mapped;
    if (std::optional<TypingError> error = BuildRunTimeParts(*e, regexes_)) {
      return TypingFailure(i, node, *error);
    }
    if (list != nullptr) e->set = list->set;
    built_[i] = std::move(e);
    return absl::OkStatus();
  }

  NodeTyping Type(const Expr& e, const CompiledList* list) const {
    switch (e.kind) {
      case ExprKind::kCall: return TypeCall(e, kind_);
      case ExprKind::kIndex: return TypeIndex(e);
      case ExprKind::kMapEach: return TypeMapEach(e);
      case ExprKind::kCompare: return TypeCompare(e);
      case ExprKind::kInSet: return TypeInSet(e);
      case ExprKind::kInList: return TypeInList(e, list);
      case ExprKind::kNot:
      case ExprKind::kLogical: return TypeLogical(e);
      default: return TypeLeaf(e);
    }
  }

  // The kind-specific part of the node: what a name resolves to, literals, operators, items.
  absl::Status ReadPayload(size_t i, const Node& node, Expr& e, const CompiledList** list) const {
    switch (e.kind) {
      case ExprKind::kField: {
        std::optional<FieldId> id = ir_codes::DecodeField(node.field());
        if (!id) return Error(i, Cat("names unknown field ", node.field()));
        e.field = &AllFields()[static_cast<size_t>(*id)];
        e.text = std::string(e.field->name);
        return absl::OkStatus();
      }
      case ExprKind::kStringLiteral:
        e.text = node.string_value();
        return absl::OkStatus();
      case ExprKind::kIntLiteral:
        e.int_value = node.int_value();
        return absl::OkStatus();
      case ExprKind::kIpLiteral: {
        std::optional<IpAddress> ip = ir_codes::DecodeIp(node.ip());
        if (!ip) return Error(i, Cat("has an address of ", node.ip().size(), " bytes, not 4 or 16"));
        e.ip = *ip;
        return absl::OkStatus();
      }
      case ExprKind::kCall:
        e.text = node.function();
        e.function = FindFunction(e.text);
        if (e.function == nullptr) return Error(i, Cat("calls unknown function '", e.text, "'"));
        return absl::OkStatus();
      case ExprKind::kIndex: {
        ExprKind key = e.children[1]->kind;
        if (key != ExprKind::kStringLiteral && key != ExprKind::kIntLiteral) {
          return Error(i, Cat("has a ", ir_codes::NodeKindName(key),
                              " key; an index is a string or integer literal"));
        }
        return absl::OkStatus();
      }
      case ExprKind::kCompare: {
        std::optional<CompareOp> op = ir_codes::DecodeCompareOp(node.compare_op());
        if (!op) return Error(i, Cat("has unknown operator ", node.compare_op()));
        e.compare_op = *op;
        return absl::OkStatus();
      }
      case ExprKind::kLogical: {
        std::optional<LogicalOp> op = ir_codes::DecodeLogicalOp(node.logical_op());
        if (!op) return Error(i, Cat("has unknown operator ", node.logical_op()));
        e.logical_op = *op;
        return absl::OkStatus();
      }
      case ExprKind::kInSet:
        return ReadSetItems(i, node, e);
      case ExprKind::kInList: {
        e.text = node.list_name();
        auto it = lists_.find(e.text);
        if (it != lists_.end()) *list = &it->second;
        return absl::OkStatus();  // an unknown list is a typing error (TypeInList)
      }
      default:
        return absl::OkStatus();
    }
  }

  absl::Status ReadSetItems(size_t i, const Node& node, Expr& e) const {
    if (static_cast<size_t>(node.set_items_size()) > limits_.max_list_items) {
      return Error(i, Cat("has ", node.set_items_size(), " set items; the limit is ",
                          limits_.max_list_items));
    }
    for (int k = 0; k < node.set_items_size(); ++k) {
      const ir::v1::SetItem& in = node.set_items(k);
      auto bad = [&](std::string_view why) { return Error(i, Cat("set item ", k, ": ", why)); };
      std::optional<SetItem::Kind> kind = ir_codes::DecodeSetItemKind(in.kind());
      if (!kind) return bad(Cat("unknown kind ", in.kind()));
      SetItem item;
      item.kind = *kind;
      switch (*kind) {
        case SetItem::Kind::kString:
          item.text = in.text();
          break;
        case SetItem::Kind::kInt:
        case SetItem::Kind::kIntRange:
          item.low = in.int_low();
          item.high = in.int_high();
          if (*kind == SetItem::Kind::kInt && item.low != item.high) {
            return bad("an integer item has different low and high ends");
          }
          if (item.high < item.low) return bad("an empty integer range");
          break;
        case SetItem::Kind::kIp:
        case SetItem::Kind::kIpRange: {
          std::optional<IpAddress> low = ir_codes::DecodeIp(in.ip_low());
          std::optional<IpAddress> high = ir_codes::DecodeIp(in.ip_high());
          if (!low || !high || low->is_v4 != high->is_v4) {
            return bad("an IP item needs two addresses of 4 bytes or two of 16");
          }
          if (AddressLess(*high, *low)) return bad("an empty IP range");
          item.ip = IpRange{*low, *high};
          break;
        }
      }
      e.set_items.push_back(std::move(item));
    }
    return absl::OkStatus();
  }

  const ir::v1::Expression& ir_;
  ExpressionKind kind_;
  const ListTable& lists_;
  const Limits& limits_;
  RegexCompiler regexes_;
  // built_[i]: node i's tree until a parent takes it; depth_[i]: its depth in nodes.
  std::vector<std::unique_ptr<Expr>> built_;
  std::vector<int> depth_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Expr>> ReadExpression(const ir::v1::Expression& ir,
                                                     ExpressionKind kind, const ListTable& lists,
                                                     const Limits& limits) {
  return Reader(ir, kind, lists, limits).Run();
}

}  // namespace gatehouse::rules
