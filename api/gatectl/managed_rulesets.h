#pragma once

// The managed rulesets gatectl's local compiles offer zones (`compile`, `validate`, `check`,
// `eval --config`): the OWASP CRS as the control plane imports it, found the same way
// (`--crs-dir`, `--crs-setup`, same defaults; `--no-managed-rulesets`).

#include <string>

#include "compiler/managed_rulesets.h"
#include "compiler/zone_compiler.h"

namespace gatehouse::gatectl {

struct ManagedRulesetFlags {
  bool none = false;
  std::string crs_dir = seclang_import::kDefaultCrsRulesDir;
  std::string crs_setup = seclang_import::kDefaultCrsSetupFile;
};

// From main(), before any command runs.
void SetManagedRulesetFlags(const ManagedRulesetFlags& flags);

// Loaded on first use, once. When they cannot be loaded, a warning says why (on stderr) and
// zones compile without them: only a zone that executes one then fails, naming it.
const compiler::LoadedManagedRulesets& ManagedRulesets();

// Zone compile options with the managed rulesets.
compiler::ZoneCompileOptions LocalCompileOptions();

}  // namespace gatehouse::gatectl
