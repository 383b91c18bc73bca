#pragma once

#include <cstddef>
#include <cstdint>

#include "tests/support/fuzz_driver.h"

// libFuzzer entry point for the rules-language front end: the input is compiled as a filter and
// as a value expression (request and response phases), and whatever compiles is evaluated
// against a fixed request. Aborts if an invariant breaks (a diagnostic without a valid position,
// a failed compile without a diagnostic, ...). Build with clang -fsanitize=fuzzer to fuzz; under
// gcc, parser_fuzz_driver and parser_fuzz_replay_test run it over the corpus and mutations.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::rules::testing {
// The same target, with the language's tokens for mutations, for the bounded driver.
gatehouse::testing::FuzzTarget ParserFuzzTarget();
}  // namespace gatehouse::rules::testing
