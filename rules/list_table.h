#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "rules/limits.h"
#include "rules/named_list.h"
#include "rules/value_set.h"

namespace gatehouse::rules {

// A zone's compiled named lists by name, as `in $name` resolves them.
using ListTable = absl::flat_hash_map<std::string, CompiledList>;

// Compiles every list of a zone once. Every error (bad item, unknown kind, too many items,
// duplicate name) is appended to `errors` (if not null), naming the list and item; the status is
// then InvalidArgument with the first of them. Shared by the front end and the IR linker so both
// read lists alike.
absl::StatusOr<std::shared_ptr<const ListTable>> CompileListTable(
    const std::vector<NamedListDefinition>& lists, const Limits& limits,
    std::vector<std::string>* errors);

}  // namespace gatehouse::rules
