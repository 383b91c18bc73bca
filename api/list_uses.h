#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "api/list_store.h"

namespace gatehouse::api {

// Which zones name which account-level lists, as every store checks it in the transaction of
// the write itself: a zone version naming a list and a list version that takes the list from
// that zone (a deletion, a narrower scope) cannot both be stored, however they race.

// OK when `zone` may name list `name` whose newest record is `latest` (null: none): it is live
// and its scope holds the zone. Else FAILED_PRECONDITION naming the list.
absl::Status CheckZoneMayName(const std::string& zone, const std::string& name,
                              const ListRecord* latest);

// OK when every zone of `users` (the zones whose newest version names the list) may still name
// the list as `next` has it; else ListInUseError with the zones that may not.
absl::Status CheckUsersKeepList(const ListRecord& next, const std::vector<std::string>& users);

// FAILED_PRECONDITION: list `name` is named by `zones` (sorted), which ListInUseZones reads
// back, so that a caller names only the zones it may read.
absl::Status ListInUseError(const std::string& name, const std::vector<std::string>& zones);
// The zones a ListInUseError names; nullopt for any other status.
std::optional<std::vector<std::string>> ListInUseZones(const absl::Status& status);

}  // namespace gatehouse::api
