#pragma once

#include <cstddef>
#include <cstdint>

#include "tests/support/fuzz_driver.h"

// libFuzzer entry point for the Accept-Language parser behind http.request.accepted_languages
// (rules/accepted_languages.h): a header value any client sends. Aborts when an invariant
// breaks:
//   - every range is a non-empty view into the input, without ',' or ';' and without
//     surrounding whitespace, and there are no more ranges than elements;
//   - the ranges, sent again as one value without parameters, come back unchanged (the order is
//     final and stable);
//   - a value without parameters yields its non-empty elements in the order sent;
//   - what was already in the output vector is kept.
// Memory errors abort under --config=asan.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::testing {
// The same target, with language ranges and q parameters as mutation tokens, for the bounded
// driver.
FuzzTarget AcceptedLanguagesFuzzTarget();
}  // namespace gatehouse::testing
