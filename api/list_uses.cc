#include "api/list_uses.h"

#include <algorithm>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gatehouse::api {
namespace {

constexpr char kListInUsePayload[] = "type.gatehouse/list_in_use";

}  // namespace

absl::Status CheckZoneMayName(const std::string& zone, const std::string& name,
                              const ListRecord* latest) {
  if (latest == nullptr || latest->deleted) {
    return absl::FailedPreconditionError("zone " + zone + " names list $" + name +
                                         ", which no longer exists (deleted meanwhile)");
  }
  if (!std::binary_search(latest->zones.begin(), latest->zones.end(), zone)) {
    return absl::FailedPreconditionError("zone " + zone + " names list $" + name +
                                         ", whose scope no longer holds the zone");
  }
  return absl::OkStatus();
}

absl::Status CheckUsersKeepList(const ListRecord& next, const std::vector<std::string>& users) {
  std::vector<std::string> losing;
  for (const std::string& zone : users) {
    if (next.deleted || !std::binary_search(next.zones.begin(), next.zones.end(), zone)) {
      losing.push_back(zone);
    }
  }
  if (losing.empty()) return absl::OkStatus();
  std::sort(losing.begin(), losing.end());
  return ListInUseError(next.name, losing);
}

absl::Status ListInUseError(const std::string& name, const std::vector<std::string>& zones) {
  absl::Status status =
      absl::FailedPreconditionError("list " + name + " is still named by zone(s) " +
                                    absl::StrJoin(zones, ", ") + "; change them first");
  status.SetPayload(kListInUsePayload, absl::Cord(absl::StrJoin(zones, "\n")));
  return status;
}

std::optional<std::vector<std::string>> ListInUseZones(const absl::Status& status) {
  const auto payload = status.GetPayload(kListInUsePayload);
  if (!payload.has_value()) return std::nullopt;
  return std::vector<std::string>(absl::StrSplit(std::string(*payload), '\n', absl::SkipEmpty()));
}

}  // namespace gatehouse::api
