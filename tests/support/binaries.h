#pragma once

#include <chrono>

namespace gatehouse::testing {

// Where the binaries of //tests/support:edge_binaries are, relative to a test's runfiles.
inline constexpr char kControlBinary[] = "api/control";
inline constexpr char kGatectlBinary[] = "api/gatectl/gatectl";
inline constexpr char kProxyBinary[] = "runtime/proxy";
inline constexpr char kDemoOriginBinary[] = "examples/demo_origin/demo_origin";

// How long a server has to print its ready line (generous: sanitizer builds start slowly).
inline constexpr auto kServerReadyTimeout = std::chrono::seconds(30);

}  // namespace gatehouse::testing
