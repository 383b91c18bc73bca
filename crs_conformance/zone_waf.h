#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ftw/request_builder.h"
#include "waf/evaluator.h"
#include "waf/linked_program.h"

namespace gatehouse::crs_conformance {

// What a zone's managed WAF decided about one request.
struct WafVerdict {
  bool blocked = false;
  int64_t anomaly_score = 0;
  // Every rule that logged a match, and the one that refused the request, in order, once each.
  std::vector<std::string> rule_ids;
};

// A managed ruleset run in-process as a zone executing it at a paranoia level and score
// threshold runs it on a proxy (waf::ZoneSettings, action block), one request at a time.
class ZoneWaf {
 public:
  ZoneWaf(std::shared_ptr<const waf::LinkedProgram> program, uint32_t paranoia_level,
          int64_t score_threshold);

  WafVerdict Check(const ftw::Request& request);

 private:
  std::shared_ptr<const waf::LinkedProgram> program_;
  waf::EvaluationSettings settings_;
  waf::Evaluator evaluator_;
  waf::EvaluationResult result_;
};

}  // namespace gatehouse::crs_conformance
