#pragma once

#include <cstddef>
#include <cstdint>

#include "tests/support/fuzz_driver.h"

// libFuzzer entry point for what decides a request's client from bytes a peer sent: the PROXY
// protocol header parser (runtime/client_address/proxy_protocol.h) and the X-Forwarded-For walk
// (forwarded_for.h), and the --trusted-proxies parser. Aborts when an invariant breaks:
//   - a parsed header lies within the input and the protocol's bounds (a v1 line at most 107
//     bytes, a v2 header at least 16 and at most kMaxProxyV2Bytes), and parses the same from
//     its own bytes alone and with more bytes after it: the parser never reads past it;
//   - an error stays an error whatever follows; "incomplete" is never the answer for an input
//     of kMaxProxyHeaderBytes, and no prefix of an incomplete input is an error;
//   - the X-Forwarded-For client is the peer when the peer is not trusted, and otherwise the
//     peer or an address written in the input; several fields walk as their comma-joined list.
// Memory errors abort under --config=asan.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::testing {
// The same target, with PROXY protocol and X-Forwarded-For fragments as mutation tokens, for
// the bounded driver.
FuzzTarget ClientAddressFuzzTarget();
}  // namespace gatehouse::testing
