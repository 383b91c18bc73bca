#pragma once

#include "compiler/zone_plan.h"
#include "compiler/rules/evaluation.h"

namespace gatehouse::modules {

// Runs the http_custom_errors ruleset against a response (the origin's, or one the edge made
// itself: a block, a 502, a 504). Returns the first matching serve_error rule, or null.
const compiler::CompiledRule* ChooseErrorPage(const compiler::CompiledRuleset& ruleset,
                                              rules::Evaluation& evaluation);

}  // namespace gatehouse::modules
