#include "runtime/engine/phase_engine.h"

#include <algorithm>
#include <map>
#include <set>

namespace gatehouse::runtime {
namespace {

std::string Where(const PhaseDeclaration& d) {
  return "module " + d.module + " (phase " + std::string(compiler::PhaseName(d.phase)) + ")";
}

}  // namespace

absl::Status PhaseEngine::CheckGraph(const std::vector<Module>& modules) {
  // Declarations grouped by slot, in phase order.
  std::array<std::vector<const PhaseDeclaration*>, compiler::kPhaseCount> slots;
  for (const Module& module : modules) {
    for (const RegisteredPhase& phase : module.phases) {
      if (phase.declaration.module != module.name) {
        return absl::InvalidArgumentError("a phase of module " + module.name +
                                          " declares itself part of " + phase.declaration.module);
      }
      slots[compiler::PhaseIndex(phase.declaration.phase)].push_back(&phase.declaration);
    }
  }
  std::map<std::string, const PhaseDeclaration*> written_before;
  for (const auto& slot : slots) {
    std::map<std::string, const PhaseDeclaration*> written_here;
    std::map<std::string, const PhaseDeclaration*> exclusive_here;
    for (const PhaseDeclaration* d : slot) {
      for (const std::string& value : d->values_read) {
        if (written_before.count(value) != 0) continue;
        if (const auto same = written_here.find(value); same != written_here.end()) {
          return absl::FailedPreconditionError(
              Where(*d) + " reads module value " + value + ", which " + Where(*same->second) +
              " writes in the same phase: their order is ambiguous");
        }
        return absl::FailedPreconditionError(Where(*d) + " reads module value " + value +
                                             ", which no earlier phase writes");
      }
      for (const std::string& value : d->values_written) {
        const auto [it, inserted] = written_here.emplace(value, d);
        if (!inserted) {
          return absl::FailedPreconditionError(Where(*d) + " and " + Where(*it->second) +
                                               " both write module value " + value +
                                               " in one phase: their order is ambiguous");
        }
      }
      for (const std::string& output : d->exclusive_outputs) {
        const auto [it, inserted] = exclusive_here.emplace(output, d);
        if (!inserted) {
          return absl::FailedPreconditionError(Where(*d) + " and " + Where(*it->second) +
                                               " both produce output " + output +
                                               " in one phase: their order is ambiguous");
        }
      }
    }
    written_before.insert(written_here.begin(), written_here.end());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<const PhaseEngine>> PhaseEngine::Create(
    std::vector<Module> modules) {
  if (auto status = CheckGraph(modules); !status.ok()) return status;
  std::unique_ptr<PhaseEngine> engine(new PhaseEngine());
  for (Module& module : modules) {
    for (RegisteredPhase& phase : module.phases) {
      engine->slots_[compiler::PhaseIndex(phase.declaration.phase)].push_back(
          {module.name, std::move(phase)});
    }
  }
  return std::unique_ptr<const PhaseEngine>(std::move(engine));
}

void PhaseEngine::RunSlots(RequestState& state, bool response) const {
  const compiler::ZonePlan& zone = state.zone();
  for (compiler::Phase slot : compiler::kAllPhases) {
    if (compiler::IsResponsePhase(slot) != response || state.IsPhaseSkipped(slot)) continue;
    const compiler::CompiledRuleset* ruleset = zone.Ruleset(slot);
    for (const Entry& entry : slots_[compiler::PhaseIndex(slot)]) {
      // Filters: a zone pays only for the products it uses.
      if (entry.phase.declaration.needs_ruleset && ruleset == nullptr) continue;
      if (entry.phase.filter && !entry.phase.filter(zone)) continue;
      if (state.IsProductSkipped(entry.module)) continue;
      entry.phase.run(state, ruleset);
      if (!response && state.local_response().has_value()) return;
    }
  }
}

void PhaseEngine::RunRequestPhases(RequestState& state) const { RunSlots(state, false); }

void PhaseEngine::RunResponsePhases(RequestState& state) const { RunSlots(state, true); }

}  // namespace gatehouse::runtime
