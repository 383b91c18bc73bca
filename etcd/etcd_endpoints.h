#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::etcd {

// Whether `store` names an etcd cluster ("etcd://…").
bool IsEtcdUrl(const std::string& store);

// The members of `etcd://HOST:PORT,HOST:PORT,…` as "HOST:PORT" (IPv6 as "[addr]:port"), in
// the order given. INVALID_ARGUMENT, naming the part, when one is not a host and port.
absl::StatusOr<std::vector<std::string>> ParseEtcdUrl(const std::string& url);

}  // namespace gatehouse::etcd
