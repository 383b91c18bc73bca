#pragma once

#include <cstddef>
#include <cstdint>

#include "tests/support/fuzz_driver.h"

// libFuzzer entry point for what reads customers' certificates and keys
// (common/tls_certificate.h): the PEM chain parser, the private key reader and the TLS name
// match. Aborts when an invariant breaks:
//   - a parsed chain holds 1 to kMaxCertificateChainLength certificates, a 64-digit hex
//     fingerprint and lower-case names, and only certificates; parsing what it kept gives the
//     same chain (the re-encoding is a fixed point);
//   - a refusal always says why;
//   - a normalised key normalises to itself;
//   - a certificate name covers a host only when equal (ignoring case) or a "*." wildcard for
//     exactly one more non-empty label.
// Memory errors abort under --config=asan.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::testing {
// The same target, with PEM fragments as mutation tokens, for the bounded driver.
FuzzTarget CertificatePemFuzzTarget();
}  // namespace gatehouse::testing
