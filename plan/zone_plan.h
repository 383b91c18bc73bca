#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/host_port.h"
#include "rules/filter.h"
#include "rules/phase_matcher.h"
#include "plan/phase.h"

namespace gatehouse::plan {

template <typename Config>
class ActionConfigOf;

// A rule's action parameters as its product linked them (a redirect's target, a block's
// response...). Each product defines its own subclasses, as ActionConfigOf<Subclass>; only that
// product's phases read them.
class ActionConfig {
 public:
  virtual ~ActionConfig() = default;

  // This config as a `Config` (declared as ActionConfigOf<Config>), or null when it is of
  // another type. A phase that runs several actions (block, log, skip) tells them apart by this
  // on every matched rule: one comparison of the type's tag, not a dynamic_cast.
  template <typename Config>
  const Config* As() const {
    return kind_ == &kKindTag<Config> ? static_cast<const Config*>(this) : nullptr;
  }

 private:
  template <typename Config>
  friend class ActionConfigOf;
  // One object per config type in the program (an inline variable), so its address names it.
  template <typename Config>
  static inline constexpr char kKindTag = 0;

  explicit ActionConfig(const void* kind) : kind_(kind) {}

  const void* kind_;
};

// The base of a product's config type `Config`: it tags the config with its type.
template <typename Config>
class ActionConfigOf : public ActionConfig {
 protected:
  ActionConfigOf() : ActionConfig(&kKindTag<Config>) {}
};

struct CompiledRule {
  std::string id;
  std::string action_name;
  std::shared_ptr<const rules::Filter> filter;
  std::shared_ptr<const ActionConfig> action;

  // The action's config as the type its product linked it to. The registry links every rule of
  // a phase with the phase owner's link function, so the type is known to the product that asks.
  template <typename T>
  const T& action_as() const {
    return static_cast<const T&>(*action);
  }
  // The action's config when it is a T, else null (ActionConfig::As), for a phase whose rules
  // may stand for several of its product's actions.
  template <typename T>
  const T* action_if() const {
    return action->As<T>();
  }
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

// One zone linked into an immutable evaluation plan (plan/zone_linker.h builds it from the
// compiled form the control plane produced). Only read after that, from any number of threads.
struct ZonePlan {
  std::string zone;
  std::string config_hash;
  std::vector<std::string> hostnames;
  std::vector<CompiledOrigin> origins;  // origins[0] is the default
  std::array<std::optional<CompiledRuleset>, kPhaseCount> rulesets;
  uint64_t max_request_body_bytes = 0;
  // How much of a request body the phases inspect (0: the proxy's default).
  uint64_t inspect_body_bytes = 0;
  // The managed rulesets the zone's rules execute, as (id, digest) linked against: a snapshot
  // whose ruleset has another digest links the zone again.
  std::vector<std::pair<std::string, std::string>> managed_rulesets;
  std::optional<HostPort> fallback;  // the zone's legacy proxy, if it names one
  bool shadow = false;

  const CompiledRuleset* Ruleset(Phase phase) const {
    const auto& ruleset = rulesets[PhaseIndex(phase)];
    return ruleset.has_value() ? &*ruleset : nullptr;
  }
};

}  // namespace gatehouse::plan
