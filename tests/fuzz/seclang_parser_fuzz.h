#pragma once

#include <cstddef>
#include <cstdint>

#include "tests/support/fuzz_driver.h"

// libFuzzer entry point for the SecLang parser (seclang/parser.h), which reads the CRS files the
// control plane imports and any rule file an operator points it at. The input is parsed as a
// whole configuration file, and as a target list, an operator and an action list on their own.
// Aborts when an invariant breaks:
//   - the parse ends; it fails exactly when it reports diagnostics, and parsing twice gives the
//     same directives and diagnostics;
//   - every diagnostic and every directive, target, operator and action points at a line of the
//     input and a column inside that line (or just past its end), and diagnostics format;
//   - chain links have no links of their own and no id; only a rule with `chain` has links;
//   - macro parts put back together give the text they were split from;
//   - a variable list that parses formats to text that parses to the same variables (when no
//     selector holds list separators).
// Memory errors abort under --config=asan.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::testing {
// The same target, with SecLang fragments as mutation tokens, for the bounded driver.
FuzzTarget SeclangParserFuzzTarget();
}  // namespace gatehouse::testing
