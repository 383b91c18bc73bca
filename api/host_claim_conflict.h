#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "common/host_ownership.h"

namespace gatehouse::api {

// A host-name claim that a store shared by replicas refused because another zone holds an
// overlapping one, with the sequence of the version that made that claim: a replica that has
// not published that version yet waits for it, then decides as a single process would
// (refuses with its usual message, or transfers the name).
struct StoredHostConflict {
  HostConflict conflict;
  uint64_t sequence = 0;
};

// FAILED_PRECONDITION describing `conflict`, which StoredHostConflictOf reads back.
absl::Status StoredHostConflictError(const StoredHostConflict& conflict);
// The conflict an error of StoredHostConflictError carries; nullopt for any other status.
std::optional<StoredHostConflict> StoredHostConflictOf(const absl::Status& status);

}  // namespace gatehouse::api
