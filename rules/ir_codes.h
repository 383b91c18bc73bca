#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "google/protobuf/repeated_field.h"
#include "rules/ast.h"
#include "rules/ir.pb.h"
#include "rules/scheme.h"
#include "rules/types.h"

namespace gatehouse::rules::ir_codes {

// The one mapping between the in-memory tree's enums and values and their IR encoding
// (rules/ir.proto), used by the writer and the linker alike. Every decoder takes any value the
// wire can hold and returns nullopt for one it does not know.

ir::v1::NodeKind EncodeKind(ExprKind kind);
std::optional<ExprKind> DecodeKind(int kind);

ir::v1::CompareOp EncodeCompareOp(CompareOp op);
std::optional<CompareOp> DecodeCompareOp(int op);

ir::v1::LogicalOp EncodeLogicalOp(LogicalOp op);
std::optional<LogicalOp> DecodeLogicalOp(int op);

ir::v1::SetItem::Kind EncodeSetItemKind(SetItem::Kind kind);
std::optional<SetItem::Kind> DecodeSetItemKind(int kind);

ir::v1::Field EncodeField(FieldId id);
std::optional<FieldId> DecodeField(int field);

// The type as its steps, outermost first ([MAP, ARRAY, BYTES]).
void EncodeType(const Type& type, google::protobuf::RepeatedField<int>* out);
std::optional<Type> DecodeType(const google::protobuf::RepeatedField<int>& steps);

// 4 bytes for an address written as IPv4, else 16.
std::string EncodeIp(const IpAddress& address);
std::optional<IpAddress> DecodeIp(std::string_view bytes);

// "ip", "int", "bytes" as NamedListDefinition::kind spells them; empty if unknown.
std::string_view DecodeListKind(int kind);
ir::v1::NamedList::Kind EncodeListKind(std::string_view kind);

// "compare", "in_set", ...: how errors name a node kind.
std::string_view NodeKindName(ExprKind kind);

}  // namespace gatehouse::rules::ir_codes
