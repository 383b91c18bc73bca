#include "crs_conformance/zone_waf.h"

#include <algorithm>
#include <utility>

#include "crs_conformance/engine_request.h"
#include "waf/zone_settings.h"

namespace gatehouse::crs_conformance {

ZoneWaf::ZoneWaf(std::shared_ptr<const waf::LinkedProgram> program, uint32_t paranoia_level,
                 int64_t score_threshold)
    : program_(std::move(program)),
      settings_(waf::ZoneSettings(*program_, paranoia_level, score_threshold)) {}

WafVerdict ZoneWaf::Check(const ftw::Request& request) {
  const EngineRequest engine_request(request);
  result_.Clear();
  evaluator_.Evaluate(*program_, engine_request.data(), settings_, &result_);
  WafVerdict verdict;
  verdict.blocked = result_.denied;
  verdict.anomaly_score = result_.anomaly_score;
  const auto add = [&](uint32_t rule_index) {
    const std::string& id = program_->rules()[rule_index].id_text;
    if (!id.empty() &&
        std::find(verdict.rule_ids.begin(), verdict.rule_ids.end(), id) == verdict.rule_ids.end()) {
      verdict.rule_ids.push_back(id);
    }
  };
  for (const waf::RuleMatch& match : result_.matches) add(match.rule_index);
  if (result_.denied) add(result_.deny_rule);
  return verdict;
}

}  // namespace gatehouse::crs_conformance
