#include "api/host_claim_conflict.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gatehouse::api {
namespace {

constexpr char kPayloadType[] = "type.gatehouse/StoredHostConflict";

}  // namespace

absl::Status StoredHostConflictError(const StoredHostConflict& conflict) {
  absl::Status status = absl::FailedPreconditionError(
      "host name \"" + conflict.conflict.claim + "\" overlaps \"" + conflict.conflict.other_claim +
      "\", which another zone holds in the shared store (a host name belongs to one zone)");
  // Zone and host names have no line breaks (they are validated before they are stored).
  status.SetPayload(kPayloadType, absl::Cord(absl::StrJoin(
                                      {std::to_string(conflict.sequence), conflict.conflict.claim,
                                       conflict.conflict.other_zone, conflict.conflict.other_claim},
                                      "\n")));
  return status;
}

std::optional<StoredHostConflict> StoredHostConflictOf(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kFailedPrecondition) return std::nullopt;
  const auto payload = status.GetPayload(kPayloadType);
  if (!payload.has_value()) return std::nullopt;
  const std::vector<std::string> parts = absl::StrSplit(std::string(*payload), '\n');
  StoredHostConflict out;
  if (parts.size() != 4 || !absl::SimpleAtoi(parts[0], &out.sequence)) return std::nullopt;
  out.conflict = {parts[1], parts[2], parts[3]};
  return out;
}

}  // namespace gatehouse::api
