#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "modules/sdk/registry.h"
#include "plan/zone_linker.h"
#include "plan/zone_plan.h"
#include "plan/zone_program.pb.h"
#include "rules/limits.h"
#include "rules/list_table.h"
#include "schemas/config.pb.h"

namespace gatehouse::compiler {

// One problem found in a zone config. Problems inside an expression carry the position inside
// that expression; `rendered` shows the source line and a caret.
struct ZoneDiagnostic {
  std::string rule_id;
  std::string json_path;  // e.g. "rulesets[0].rules[2].expression"
  int line = 0;
  int column = 0;
  int length = 0;
  std::string message;
  std::string rendered;
};

struct ZoneCompileOptions {
  rules::Limits limits;
  // When set, phases reuse these databases where they fit instead of compiling them.
  const plan::PrecompiledPrefilters* precompiled = nullptr;
  // The products whose actions rules may use; null: the ones linked into this binary.
  const sdk::ProductRegistry* products = nullptr;
  // The managed rulesets rules may execute, linked and summarised
  // (compiler/managed_rulesets.h); null: none.
  const sdk::ManagedRulesetSet* managed_rulesets = nullptr;
  // The account-level lists (gatectl lists) this zone may name, compiled; null: none. A zone
  // list of the same name is an error: neither silently wins.
  std::shared_ptr<const rules::ListTable> account_lists;
  size_t max_rules_per_phase = 10000;
  size_t max_custom_content_bytes = 10 * 1024;
};

struct ZoneCompileResult {
  // The compiled form a proxy links (with its prefilter databases); set when there are no
  // diagnostics.
  plan::v1::ZoneProgram program;
  // The program linked here, exactly as a proxy links it; null when there are diagnostics.
  std::shared_ptr<const plan::ZonePlan> plan;
  std::vector<ZoneDiagnostic> diagnostics;

  bool ok() const { return plan != nullptr; }
  // Every diagnostic's rendering, one after another.
  std::string RenderedDiagnostics() const;
};

// Validates the whole zone, reporting every problem, and compiles it into its program.
// Deterministic. The control plane and `gatectl compile` run it; a proxy never does.
ZoneCompileResult CompileZone(const config::v1::ZoneConfig& config,
                              const ZoneCompileOptions& options = {});

// Reads the JSON text first; a JSON error comes back as a single diagnostic.
ZoneCompileResult CompileZoneJson(std::string_view json, const ZoneCompileOptions& options = {});

// The zone's content hash: SHA-256 of its deterministic protobuf encoding.
std::string ZoneConfigHash(const config::v1::ZoneConfig& config);

}  // namespace gatehouse::compiler
