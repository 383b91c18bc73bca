#pragma once

#include <cstddef>
#include <cstdint>

#include "tests/support/fuzz_driver.h"

// libFuzzer entry point for Gatehouse's SQL-injection and XSS detectors (detect/), which read
// every request value a rule asks them about. Both tokenizers run on the input in every context
// they have. Aborts when an invariant breaks:
//   - the SQL tokenizer ends, and yields at most one token per input byte (plus the context's);
//     the folder never holds more than its capacity;
//   - every HTML token's text lies inside the input, and the tokenizer ends;
//   - a verdict does not depend on whether a fingerprint is asked for, on ASCII letter case,
//     or on being asked twice; a fingerprint is at most SqliFingerprint::kMaxTokens long.
// Memory errors abort under --config=asan.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::testing {
// The same target, with SQL and HTML fragments as mutation tokens, for the bounded driver.
FuzzTarget DetectFuzzTarget();
}  // namespace gatehouse::testing
