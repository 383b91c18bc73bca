#pragma once

// The managed rulesets the control plane and gatectl offer zones: today the OWASP Core Rule Set
// as Debian's modsecurity-crs package installs it, imported (compiler/seclang_import) into the
// managed WAF's program, ruleset "owasp-crs". One definition for both, so `gatectl compile` and
// a control plane given the same flags produce the same snapshot.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/seclang_import/crs_import.h"
#include "compiler/snapshot_assembly.h"
#include "modules/sdk/managed_ruleset.h"
#include "modules/sdk/registry.h"

namespace gatehouse::compiler {

// The id zones' execute rules name.
inline constexpr char kCrsRulesetId[] = "owasp-crs";

struct ManagedRulesetOptions {
  // Off (`--no-managed-rulesets`): zones can execute none.
  bool enabled = true;
  // `--crs-dir` and `--crs-setup`; the defaults are Debian's modsecurity-crs package.
  std::string crs_dir = seclang_import::kDefaultCrsRulesDir;
  std::string crs_setup = seclang_import::kDefaultCrsSetupFile;
  // A cache of compiled rulesets (the control plane's store), keyed by a digest of the source
  // files as they are on disk, so that a restart on unchanged files neither parses nor
  // translates them: `load` returns the serialised snapshot::v1::ManagedRuleset compiled
  // before, `save` keeps a new one. Either may be null.
  std::function<std::optional<std::string>(const std::string& source_key)> load;
  std::function<void(const std::string& id, const std::string& source_key,
                     const std::string& serialized)>
      save;
  // The products that link them; null: the ones linked into this binary.
  const sdk::ProductRegistry* products = nullptr;
};

struct LoadedManagedRulesets {
  // What snapshots carry, sorted by id.
  std::shared_ptr<const ManagedRulesets> compiled = std::make_shared<const ManagedRulesets>();
  // Linked and summarised, for zone compiles (ZoneCompileOptions::managed_rulesets).
  std::shared_ptr<const sdk::ManagedRulesetSet> set =
      std::make_shared<const sdk::ManagedRulesetSet>();
  // Per ruleset: "owasp-crs OWASP_CRS/3.3.4 (...) digest 1a2b…: 620 rules, compiled in 95 ms"
  // (or "taken from the store").
  std::vector<std::string> notes;
};

// Loads (or, when disabled, returns none of) the managed rulesets. An error names the ruleset,
// where it was read from, and why (a missing rules folder, a rule that does not load).
absl::StatusOr<LoadedManagedRulesets> LoadManagedRulesets(const ManagedRulesetOptions& options);

}  // namespace gatehouse::compiler
