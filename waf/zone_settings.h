#pragma once

// How a zone runs a managed ruleset before its per-rule overrides: the paranoia level and the
// anomaly score threshold, in TX under the names the ruleset declares for them, and every rule
// above that paranoia level off. The managed WAF product starts from these; benches and tests
// that run the ruleset in-process use them to run it as a proxy does.

#include <cstdint>

#include "waf/evaluator.h"
#include "waf/linked_program.h"

namespace gatehouse::waf {

EvaluationSettings ZoneSettings(const LinkedProgram& program, uint32_t paranoia_level,
                                int64_t score_threshold);

}  // namespace gatehouse::waf
