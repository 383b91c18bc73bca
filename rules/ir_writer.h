#pragma once

#include "rules/ast.h"
#include "rules/named_list.h"
#include "rules/ir.pb.h"

namespace gatehouse::rules {

// Encodes a checked tree (one the checker accepted, or one linked from IR) as IR
// (rules/ir.proto): its nodes in post-order with their checked types, literals, operators, set
// items and the names of fields, functions and lists. Reads only what the checker filled in and
// the syntax; spans and the compiled parts (regexes, sets, patterns), which the linker rebuilds,
// are not written. An unchecked tree (with error nodes) encodes to IR the linker rejects.
ir::v1::Expression EncodeExpression(const Expr& checked);

// A zone's named list as the IR carries it: as written, compiled again by the linker. A kind
// other than "ip", "int" or "bytes" encodes as KIND_UNSPECIFIED, which the linker rejects.
ir::v1::NamedList EncodeNamedList(const NamedListDefinition& list);

}  // namespace gatehouse::rules
