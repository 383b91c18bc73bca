#pragma once

// Several control replicas as one gRPC target, for its clients (the proxy's --control,
// gatectl's --addr): a channel that holds to one replica and moves to another when it goes.

#include <string>

#include "absl/status/statusor.h"

namespace gatehouse {

// "HOST:PORT" as it is; "A:PORT,B:PORT,…" (IP addresses of one family) as a gRPC target that
// lists them all ("ipv4:…" / "ipv6:…"), which gRPC's pick_first tries in turn and leaves for
// the next when the one in use fails. Host names in a list are refused: one name that resolves
// to several addresses (DNS) or a load balancer does that. INVALID_ARGUMENT naming the part.
absl::StatusOr<std::string> ControlChannelTarget(const std::string& addresses);

}  // namespace gatehouse
