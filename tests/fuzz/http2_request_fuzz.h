#pragma once

#include <cstddef>
#include <cstdint>

#include "tests/support/fuzz_driver.h"

// libFuzzer entry point for the translation of an HTTP/2 request's decoded header block (bytes a
// client chose, after HPACK) into the HTTP/1.1 head the request path parses
// (runtime/http2/request_head.h). The input is the fields, one a line, "name:value" (a
// pseudo-header's name keeps its colon); the last byte's low bit says whether a body follows.
// Aborts when an invariant breaks:
//   - an accepted block yields a head an HTTP/1.1 parser reads whole, as one message header,
//     with no byte left over and no error: nothing a client sends can smuggle a second
//     request or a field of its own making;
//   - that head has the method accepted, no connection-specific field, Transfer-Encoding only
//     when the builder says the body is chunked, and exactly one Host when one was given;
//   - a block over the size limit is refused as too large, never accepted.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::testing {
FuzzTarget Http2RequestFuzzTarget();
}  // namespace gatehouse::testing
