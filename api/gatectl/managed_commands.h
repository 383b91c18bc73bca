#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/gatectl/command.h"

namespace gatehouse::gatectl {

struct ManagedCommandOptions {
  // `--paranoia-level N` (1-4): show lists only the rules that run at that level; 0: every rule.
  int64_t paranoia_level = 0;
  // `--crs-dir`, `--crs-setup` or `--no-managed-rulesets` was given: read the rulesets from
  // those files, as `gatectl compile` does, instead of asking the control plane.
  bool local = false;
};

// `gatectl managed list` and `gatectl managed show ID [--paranoia-level N]`: the managed
// rulesets zones may execute, as the control plane imported them (ConfigService's
// ListManagedRulesets / GetManagedRuleset) or, file-only, as gatectl imports them itself: for
// show, the version and digest, every rule (id, phase, paranoia level, category, severity,
// file:line, tags) and every rule of the source left out or adjusted, with why. `--json` prints
// the API's response messages. Returns nullopt when `args` is not a managed command, else the
// exit code.
std::optional<int> RunManagedCommand(const std::vector<std::string>& args,
                                     const GlobalOptions& options,
                                     const ManagedCommandOptions& managed);

}  // namespace gatehouse::gatectl
