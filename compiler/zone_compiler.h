#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/zone_plan.h"
#include "rules/limits.h"
#include "rules/phase_matcher.h"
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

// Serialised prefilter databases by phase, from an earlier compile of the same zone.
using PrecompiledPrefilters = std::map<Phase, std::vector<rules::SerializedDatabase>>;

struct ZoneCompileOptions {
  rules::Limits limits;
  // When set, phases reuse these databases where they fit instead of compiling them.
  const PrecompiledPrefilters* precompiled = nullptr;
  size_t max_rules_per_phase = 10000;
  size_t max_custom_content_bytes = 10 * 1024;
};

struct ZoneCompileResult {
  std::shared_ptr<const ZonePlan> plan;  // null when there are diagnostics
  std::vector<ZoneDiagnostic> diagnostics;

  bool ok() const { return plan != nullptr; }
  // Every diagnostic's rendering, one after another.
  std::string RenderedDiagnostics() const;
};

// Validates the whole zone and compiles it into a plan. Deterministic: the control plane runs it
// to accept a config, the proxy runs it again to link a snapshot it received.
ZoneCompileResult CompileZone(const config::v1::ZoneConfig& config,
                              const ZoneCompileOptions& options = {});

// Reads the JSON text first; a JSON error comes back as a single diagnostic.
ZoneCompileResult CompileZoneJson(std::string_view json, const ZoneCompileOptions& options = {});

// The zone's content hash: SHA-256 of its deterministic protobuf encoding.
std::string ZoneConfigHash(const config::v1::ZoneConfig& config);

}  // namespace gatehouse::compiler
