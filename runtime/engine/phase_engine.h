#pragma once

#include <array>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/phase.h"
#include "runtime/engine/module_api.h"
#include "runtime/engine/request_state.h"

namespace gatehouse::runtime {

// Runs the modules' phases for a request in the fixed phase order. Built once at start-up from
// every module; Create checks the phase graph, so an inconsistent set of modules stops the
// process with a clear message instead of surprising a request.
class PhaseEngine {
 public:
  // Fails when a phase reads a module value no earlier phase writes, or when two phases of one
  // slot produce the same exclusive output or value (their order would be ambiguous).
  static absl::StatusOr<std::unique_ptr<const PhaseEngine>> Create(std::vector<Module> modules);

  // The request phases, in order; stops at the first phase that answers (Respond).
  void RunRequestPhases(RequestState& state) const;
  // The response phases, in order; call after RequestState::BeginResponse.
  void RunResponsePhases(RequestState& state) const;

  // Checks a phase graph without building an engine (tests, tools).
  static absl::Status CheckGraph(const std::vector<Module>& modules);

 private:
  struct Entry {
    std::string module;
    RegisteredPhase phase;
  };

  PhaseEngine() = default;
  void RunSlots(RequestState& state, bool response) const;

  std::array<std::vector<Entry>, compiler::kPhaseCount> slots_;
};

}  // namespace gatehouse::runtime
