#include "api/gatectl/managed_rulesets.h"

#include <cstdio>

namespace gatehouse::gatectl {
namespace {

ManagedRulesetFlags& Flags() {
  static ManagedRulesetFlags flags;
  return flags;
}

}  // namespace

void SetManagedRulesetFlags(const ManagedRulesetFlags& flags) { Flags() = flags; }

const compiler::LoadedManagedRulesets& ManagedRulesets() {
  static const compiler::LoadedManagedRulesets* const loaded = [] {
    compiler::ManagedRulesetOptions options;
    options.enabled = !Flags().none;
    options.crs_dir = Flags().crs_dir;
    options.crs_setup = Flags().crs_setup;
    auto result = compiler::LoadManagedRulesets(options);
    if (!result.ok()) {
      std::fprintf(stderr, "gatectl: warning: no managed rulesets: %s\n",
                   std::string(result.status().message()).c_str());
      return new compiler::LoadedManagedRulesets();
    }
    return new compiler::LoadedManagedRulesets(*std::move(result));
  }();
  return *loaded;
}

compiler::ZoneCompileOptions LocalCompileOptions() {
  compiler::ZoneCompileOptions options;
  options.managed_rulesets = ManagedRulesets().set.get();
  return options;
}

}  // namespace gatehouse::gatectl
