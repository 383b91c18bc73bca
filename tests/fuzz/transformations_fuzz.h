#pragma once

#include <cstddef>
#include <cstdint>

#include "tests/support/fuzz_driver.h"

// libFuzzer entry point for SecLang's transformation functions (seclang/transformations.h), which
// the managed WAF runs on every request value before its operators. Each function runs on the
// input, and so do CRS's 942100 and 941100 chains; the input is also read as a transformation
// list. Aborts when an invariant breaks:
//   - a decoder never grows its input; utf8toUnicode at most triples it and is idempotent;
//   - an input without the bytes a function acts on ('%' '+', '&', '\', bytes >= 0x80, NUL)
//     comes back unchanged; lowercase leaves no A-Z and removeNulls no NUL;
//   - multiMatch values start with the input, end with the chain's result and each differs
//     from the one before;
//   - a list that parses formats to text that parses back to the same list.
// Memory errors abort under --config=asan.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::testing {
// The same target, with escape fragments as mutation tokens, for the bounded driver.
FuzzTarget TransformationsFuzzTarget();
}  // namespace gatehouse::testing
