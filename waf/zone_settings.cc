#include "waf/zone_settings.h"

#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::waf {
namespace {

// Sets `value` under every TX name the program gives the zone setting, or under `fallback`
// (CRS's names) for a program that declares none.
void SetZoneVariable(const LinkedProgram& program, std::string_view setting,
                     const std::vector<std::string>& fallback, const std::string& value,
                     EvaluationSettings& settings) {
  const std::vector<std::string>* names = program.ZoneVariable(setting);
  for (const std::string& name : names != nullptr ? *names : fallback) {
    settings.tx.emplace_back(name, value);
  }
}

}  // namespace

EvaluationSettings ZoneSettings(const LinkedProgram& program, uint32_t paranoia_level,
                                int64_t score_threshold) {
  EvaluationSettings settings;
  SetZoneVariable(program, "paranoia_level", {"paranoia_level", "executing_paranoia_level"},
                  std::to_string(paranoia_level), settings);
  SetZoneVariable(program, "score_threshold", {"inbound_anomaly_score_threshold"},
                  std::to_string(score_threshold), settings);
  // The ruleset's own paranoia gates skip these rules too; a mode saves testing them.
  const std::vector<LinkedRule>& rules = program.rules();
  settings.modes.assign(rules.size(), RuleMode::kDefault);
  settings.paranoia_level = paranoia_level;
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].paranoia_level > paranoia_level) settings.modes[i] = RuleMode::kDisabled;
  }
  settings.decisions = Evaluator::DecideTxGates(program, settings);
  settings.visits = PlanVisits(program, settings.modes, settings.decisions);
  return settings;
}

}  // namespace gatehouse::waf
