#include "rules/list_table.h"

#include "absl/container/flat_hash_set.h"
#include "rules/strings.h"

namespace gatehouse::rules {

absl::StatusOr<std::shared_ptr<const ListTable>> CompileListTable(
    const std::vector<NamedListDefinition>& lists, const Limits& limits,
    std::vector<std::string>* errors) {
  auto table = std::make_shared<ListTable>();
  std::vector<std::string> found;
  absl::flat_hash_set<std::string> seen;
  for (const NamedListDefinition& definition : lists) {
    if (!seen.insert(definition.name).second) {
      found.push_back(Cat("list $", definition.name, ": defined more than once"));
      continue;
    }
    absl::StatusOr<CompiledList> compiled = CompileNamedList(definition, limits);
    if (!compiled.ok()) {
      found.push_back(std::string(compiled.status().message()));
      continue;
    }
    table->emplace(definition.name, *std::move(compiled));
  }
  if (!found.empty()) {
    absl::Status status = absl::InvalidArgumentError(found.front());
    if (errors != nullptr) errors->insert(errors->end(), found.begin(), found.end());
    return status;
  }
  return std::shared_ptr<const ListTable>(std::move(table));
}

}  // namespace gatehouse::rules
