#include "rules/ir_codes.h"

#include <cstring>
#include <utility>

namespace gatehouse::rules::ir_codes {
namespace {

// Each table is the single statement of one correspondence; both directions read it.
template <typename A, typename B, size_t N>
B Forward(const std::pair<A, B> (&table)[N], A a, B fallback) {
  for (const auto& [from, to] : table) {
    if (from == a) return to;
  }
  return fallback;
}

template <typename A, typename B, size_t N>
std::optional<A> Backward(const std::pair<A, B> (&table)[N], int b) {
  for (const auto& [to, from] : table) {
    if (static_cast<int>(from) == b) return to;
  }
  return std::nullopt;
}

constexpr std::pair<ExprKind, ir::v1::NodeKind> kKinds[] = {
    {ExprKind::kField, ir::v1::NODE_KIND_FIELD},
    {ExprKind::kStringLiteral, ir::v1::NODE_KIND_STRING_LITERAL},
    {ExprKind::kIntLiteral, ir::v1::NODE_KIND_INT_LITERAL},
    {ExprKind::kIpLiteral, ir::v1::NODE_KIND_IP_LITERAL},
    {ExprKind::kCall, ir::v1::NODE_KIND_CALL},
    {ExprKind::kIndex, ir::v1::NODE_KIND_INDEX},
    {ExprKind::kMapEach, ir::v1::NODE_KIND_MAP_EACH},
    {ExprKind::kCompare, ir::v1::NODE_KIND_COMPARE},
    {ExprKind::kInSet, ir::v1::NODE_KIND_IN_SET},
    {ExprKind::kInList, ir::v1::NODE_KIND_IN_LIST},
    {ExprKind::kNot, ir::v1::NODE_KIND_NOT},
    {ExprKind::kLogical, ir::v1::NODE_KIND_LOGICAL},
};

constexpr std::pair<CompareOp, ir::v1::CompareOp> kCompareOps[] = {
    {CompareOp::kEq, ir::v1::COMPARE_OP_EQ},
    {CompareOp::kNe, ir::v1::COMPARE_OP_NE},
    {CompareOp::kLt, ir::v1::COMPARE_OP_LT},
    {CompareOp::kLe, ir::v1::COMPARE_OP_LE},
    {CompareOp::kGt, ir::v1::COMPARE_OP_GT},
    {CompareOp::kGe, ir::v1::COMPARE_OP_GE},
    {CompareOp::kContains, ir::v1::COMPARE_OP_CONTAINS},
    {CompareOp::kMatches, ir::v1::COMPARE_OP_MATCHES},
    {CompareOp::kWildcard, ir::v1::COMPARE_OP_WILDCARD},
    {CompareOp::kStrictWildcard, ir::v1::COMPARE_OP_STRICT_WILDCARD},
    {CompareOp::kBitAnd, ir::v1::COMPARE_OP_BIT_AND},
};

constexpr std::pair<LogicalOp, ir::v1::LogicalOp> kLogicalOps[] = {
    {LogicalOp::kAnd, ir::v1::LOGICAL_OP_AND},
    {LogicalOp::kOr, ir::v1::LOGICAL_OP_OR},
    {LogicalOp::kXor, ir::v1::LOGICAL_OP_XOR},
};

constexpr std::pair<SetItem::Kind, ir::v1::SetItem::Kind> kSetItemKinds[] = {
    {SetItem::Kind::kString, ir::v1::SetItem::KIND_STRING},
    {SetItem::Kind::kInt, ir::v1::SetItem::KIND_INT},
    {SetItem::Kind::kIntRange, ir::v1::SetItem::KIND_INT_RANGE},
    {SetItem::Kind::kIp, ir::v1::SetItem::KIND_IP},
    {SetItem::Kind::kIpRange, ir::v1::SetItem::KIND_IP_RANGE},
};

constexpr std::pair<Type::Kind, ir::v1::TypeKind> kTypeKinds[] = {
    {Type::Kind::kBool, ir::v1::TYPE_KIND_BOOL},   {Type::Kind::kInt, ir::v1::TYPE_KIND_INT},
    {Type::Kind::kBytes, ir::v1::TYPE_KIND_BYTES}, {Type::Kind::kIp, ir::v1::TYPE_KIND_IP},
    {Type::Kind::kArray, ir::v1::TYPE_KIND_ARRAY}, {Type::Kind::kMap, ir::v1::TYPE_KIND_MAP},
};

constexpr std::pair<std::string_view, ir::v1::NamedList::Kind> kListKinds[] = {
    {"ip", ir::v1::NamedList::KIND_IP},
    {"int", ir::v1::NamedList::KIND_INT},
    {"bytes", ir::v1::NamedList::KIND_BYTES},
};

constexpr std::pair<ExprKind, std::string_view> kKindNames[] = {
    {ExprKind::kError, "error"},          {ExprKind::kField, "field"},
    {ExprKind::kStringLiteral, "string"}, {ExprKind::kIntLiteral, "int"},
    {ExprKind::kIpLiteral, "ip"},         {ExprKind::kCall, "call"},
    {ExprKind::kIndex, "index"},          {ExprKind::kMapEach, "map_each"},
    {ExprKind::kCompare, "compare"},      {ExprKind::kInSet, "in_set"},
    {ExprKind::kInList, "in_list"},       {ExprKind::kNot, "not"},
    {ExprKind::kLogical, "logical"},
};

// A nested type never goes deeper than Map<Array<Bytes>>; a little slack, and no more, so a
// hostile step list cannot build a deep chain.
constexpr int kMaxTypeSteps = 4;

}  // namespace

ir::v1::NodeKind EncodeKind(ExprKind kind) {
  return Forward(kKinds, kind, ir::v1::NODE_KIND_UNSPECIFIED);
}
std::optional<ExprKind> DecodeKind(int kind) { return Backward(kKinds, kind); }

ir::v1::CompareOp EncodeCompareOp(CompareOp op) {
  return Forward(kCompareOps, op, ir::v1::COMPARE_OP_UNSPECIFIED);
}
std::optional<CompareOp> DecodeCompareOp(int op) { return Backward(kCompareOps, op); }

ir::v1::LogicalOp EncodeLogicalOp(LogicalOp op) {
  return Forward(kLogicalOps, op, ir::v1::LOGICAL_OP_UNSPECIFIED);
}
std::optional<LogicalOp> DecodeLogicalOp(int op) { return Backward(kLogicalOps, op); }

ir::v1::SetItem::Kind EncodeSetItemKind(SetItem::Kind kind) {
  return Forward(kSetItemKinds, kind, ir::v1::SetItem::KIND_UNSPECIFIED);
}
std::optional<SetItem::Kind> DecodeSetItemKind(int kind) { return Backward(kSetItemKinds, kind); }

ir::v1::Field EncodeField(FieldId id) { return static_cast<ir::v1::Field>(static_cast<int>(id) + 1); }
std::optional<FieldId> DecodeField(int field) {
  if (field < 1 || field > kFieldCount) return std::nullopt;
  return static_cast<FieldId>(field - 1);
}

void EncodeType(const Type& type, google::protobuf::RepeatedField<int>* out) {
  out->Add(Forward(kTypeKinds, type.kind(), ir::v1::TYPE_KIND_UNSPECIFIED));
  if (type.is_container()) EncodeType(type.element(), out);
}

std::optional<Type> DecodeType(const google::protobuf::RepeatedField<int>& steps) {
  if (steps.empty() || steps.size() > kMaxTypeSteps) return std::nullopt;
  std::optional<Type> type;
  // Innermost first: the last step must be a scalar, every earlier one a container.
  for (int i = steps.size() - 1; i >= 0; --i) {
    std::optional<Type::Kind> kind = Backward(kTypeKinds, steps[i]);
    if (!kind) return std::nullopt;
    bool container = *kind == Type::Kind::kArray || *kind == Type::Kind::kMap;
    if (container != type.has_value()) return std::nullopt;
    switch (*kind) {
      case Type::Kind::kBool: type = Type::Bool(); break;
      case Type::Kind::kInt: type = Type::Int(); break;
      case Type::Kind::kBytes: type = Type::Bytes(); break;
      case Type::Kind::kIp: type = Type::Ip(); break;
      case Type::Kind::kArray: type = Type::Array(*type); break;
      case Type::Kind::kMap: type = Type::Map(*type); break;
      case Type::Kind::kError: return std::nullopt;
    }
  }
  return type;
}

std::string EncodeIp(const IpAddress& address) {
  const char* bytes = reinterpret_cast<const char*>(address.bytes.data());
  return address.is_v4 ? std::string(bytes + 12, 4) : std::string(bytes, 16);
}

std::optional<IpAddress> DecodeIp(std::string_view bytes) {
  IpAddress address;
  if (bytes.size() == 4) {
    address.bytes[10] = 0xff;
    address.bytes[11] = 0xff;
    std::memcpy(&address.bytes[12], bytes.data(), 4);
    address.is_v4 = true;
    return address;
  }
  if (bytes.size() != 16) return std::nullopt;
  std::memcpy(address.bytes.data(), bytes.data(), 16);
  return address;
}

std::string_view DecodeListKind(int kind) {
  std::optional<std::string_view> name = Backward(kListKinds, kind);
  return name ? *name : std::string_view();
}

ir::v1::NamedList::Kind EncodeListKind(std::string_view kind) {
  return Forward(kListKinds, kind, ir::v1::NamedList::KIND_UNSPECIFIED);
}

std::string_view NodeKindName(ExprKind kind) { return Forward(kKindNames, kind, std::string_view("?")); }

}  // namespace gatehouse::rules::ir_codes
