#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "modules/sdk/registry.h"
#include "plan/phase.h"
#include "plan/zone_plan.h"
#include "plan/zone_program.pb.h"
#include "rules/limits.h"
#include "rules/list_table.h"
#include "rules/phase_matcher.h"

namespace gatehouse::plan {

// The version of the compiled form (ZoneProgram) this build writes and links. Bumped whenever a
// proxy could not link a program of the previous version the same way.
inline constexpr uint32_t kProgramVersion = 1;

// Serialised prefilter databases by phase.
using PrecompiledPrefilters = std::map<Phase, std::vector<rules::SerializedDatabase>>;

struct LinkOptions {
  rules::Limits limits;
  // The products rules are linked with; null: the ones linked into this binary.
  const sdk::ProductRegistry* products = nullptr;
  // Where set, phases take their prefilter databases from here instead of from the program.
  const PrecompiledPrefilters* prefilters = nullptr;
  // The snapshot's managed rulesets, linked (modules/sdk/managed_ruleset.h); null: none.
  const sdk::ManagedRulesetSet* managed_rulesets = nullptr;
  // The snapshot's account-level lists, compiled, by name; null: none. A zone naming one that
  // is not here does not link.
  const rules::ListTable* account_lists = nullptr;
};

// Builds a zone's plan from its compiled form: every rule's filter and the values its action
// computes become optimised plans, each action's parameters are linked by its product, and each
// phase's rules go behind one prefilter (the program's databases are used where they fit this
// machine). Deterministic and side-effect free. An error names the zone and the rule: a program
// of another version, an action or product this binary does not have, a malformed filter.
absl::StatusOr<std::shared_ptr<const ZonePlan>> LinkZone(const v1::ZoneProgram& program,
                                                         const LinkOptions& options = {});

// The prefilter databases a program carries.
PrecompiledPrefilters ReadPrefilters(const v1::ZoneProgram& program);
// Puts every phase's serialised prefilter databases of `plan` into `program`.
void AddPrefilters(const ZonePlan& plan, v1::ZoneProgram* program);

}  // namespace gatehouse::plan
