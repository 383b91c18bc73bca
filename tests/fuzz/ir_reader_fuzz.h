#pragma once

#include <cstddef>
#include <cstdint>

#include "tests/support/fuzz_driver.h"

// libFuzzer entry point for the proxy's reader of the rules IR (rules/ir_linker.h): the input is
// parsed as a serialised ir::v1::Expression and linked as a filter and as a value expression in
// a zone with one list of each kind. Aborts when an invariant breaks:
//   - a rejection is InvalidArgument with a message naming the IR;
//   - what links evaluates against a fixed request (a filter also through a PhaseMatcher built
//     over it), and its tree encodes to IR that links again to the same tree.
// Memory errors abort under --config=asan.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::testing {
// The same target, with serialised nodes as mutation fragments, for the bounded driver.
FuzzTarget IrReaderFuzzTarget();
}  // namespace gatehouse::testing
