#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/host_port.h"
#include "compiler/action.h"
#include "compiler/phase.h"
#include "rules/filter.h"
#include "rules/phase_matcher.h"
#include "schemas/config.pb.h"

namespace gatehouse::compiler {

struct CompiledRule {
  std::string id;
  std::string action_name;
  std::shared_ptr<const rules::Filter> filter;
  Action action;
};

struct CompiledRuleset {
  Phase phase = Phase::kFirewallCustom;
  std::vector<CompiledRule> rules;  // enabled rules only, in order
  // Every rule's filter behind one Hyperscan prefilter; its rule indices are those of `rules`.
  std::shared_ptr<const rules::PhaseMatcher> matcher;
};

struct CompiledOrigin {
  std::string name;
  std::vector<HostPort> servers;
};

// One zone compiled into an immutable evaluation plan. Built by CompileZone, then only read,
// from any number of threads.
struct ZonePlan {
  std::string zone;
  std::string config_hash;
  std::vector<std::string> hostnames;
  std::vector<CompiledOrigin> origins;  // origins[0] is the default
  std::array<std::optional<CompiledRuleset>, kPhaseCount> rulesets;
  uint64_t max_request_body_bytes = 0;
  std::optional<HostPort> fallback;  // the zone's legacy proxy, if it names one
  bool shadow = false;

  const CompiledRuleset* Ruleset(Phase phase) const {
    const auto& ruleset = rulesets[PhaseIndex(phase)];
    return ruleset.has_value() ? &*ruleset : nullptr;
  }
};

}  // namespace gatehouse::compiler
