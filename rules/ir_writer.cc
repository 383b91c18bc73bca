#include "rules/ir_writer.h"

#include "rules/ir_codes.h"

namespace gatehouse::rules {
namespace {

// Appends `e` after its children (post-order) and returns its index. Recursion is bounded: a
// checked tree is at most MaxTreeDepth (limits.h) deep.
uint32_t Emit(const Expr& e, ir::v1::Expression& out) {
  std::vector<uint32_t> children;
  children.reserve(e.children.size());
  for (const auto& child : e.children) children.push_back(Emit(*child, out));

  ir::v1::Node& node = *out.add_nodes();
  node.set_kind(ir_codes::EncodeKind(e.kind));
  if (!e.type.is_error()) ir_codes::EncodeType(e.type, node.mutable_type());
  node.set_mapped(e.mapped);
  for (uint32_t child : children) node.add_children(child);
  switch (e.kind) {
    case ExprKind::kField:
      if (e.field != nullptr) node.set_field(ir_codes::EncodeField(e.field->id));
      break;
    case ExprKind::kStringLiteral:
      node.set_string_value(e.text);
      break;
    case ExprKind::kIntLiteral:
      node.set_int_value(e.int_value);
      break;
    case ExprKind::kIpLiteral:
      node.set_ip(ir_codes::EncodeIp(e.ip));
      break;
    case ExprKind::kCall:
      node.set_function(e.text);
      break;
    case ExprKind::kCompare:
      node.set_compare_op(ir_codes::EncodeCompareOp(e.compare_op));
      break;
    case ExprKind::kLogical:
      node.set_logical_op(ir_codes::EncodeLogicalOp(e.logical_op));
      break;
    case ExprKind::kInSet:
      for (const SetItem& item : e.set_items) {
        ir::v1::SetItem& out_item = *node.add_set_items();
        out_item.set_kind(ir_codes::EncodeSetItemKind(item.kind));
        switch (item.kind) {
          case SetItem::Kind::kString:
            out_item.set_text(item.text);
            break;
          case SetItem::Kind::kInt:
          case SetItem::Kind::kIntRange:
            out_item.set_int_low(item.low);
            out_item.set_int_high(item.high);
            break;
          case SetItem::Kind::kIp:
          case SetItem::Kind::kIpRange:
            out_item.set_ip_low(ir_codes::EncodeIp(item.ip.low));
            out_item.set_ip_high(ir_codes::EncodeIp(item.ip.high));
            break;
        }
      }
      break;
    case ExprKind::kInList:
      node.set_list_name(e.text);
      break;
    case ExprKind::kError:
    case ExprKind::kIndex:
    case ExprKind::kMapEach:
    case ExprKind::kNot:
      break;
  }
  return static_cast<uint32_t>(out.nodes_size() - 1);
}

}  // namespace

ir::v1::Expression EncodeExpression(const Expr& checked) {
  ir::v1::Expression out;
  Emit(checked, out);
  return out;
}

ir::v1::NamedList EncodeNamedList(const NamedListDefinition& list) {
  ir::v1::NamedList out;
  out.set_name(list.name);
  out.set_kind(ir_codes::EncodeListKind(list.kind));
  for (const std::string& item : list.items) out.add_items(item);
  return out;
}

}  // namespace gatehouse::rules
