#pragma once

#include <cstddef>
#include <cstdint>

#include "tests/support/fuzz_driver.h"

// libFuzzer entry point for the proxy's request path: the input is sent as raw bytes from a
// client to a real ProxyServer (in this process, on loopback) serving a zone with rules of every
// product in front of a recording origin. Aborts when an invariant breaks:
//   - the proxy closes the connection within a deadline once the client has finished sending;
//   - whatever it answers starts with a well-formed HTTP/1.1 response head with a ray ID;
//   - every request the origin receives has a well-formed head: origin-form target, one Host,
//     no Transfer-Encoding but chunked, no CR/LF/NUL smuggled into a line.
// Memory errors abort under --config=asan.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::testing {
// The same target, with HTTP fragments for mutations, for the bounded driver.
FuzzTarget RequestPathFuzzTarget();
}  // namespace gatehouse::testing
