#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "rules/list_table.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::testing {

// A zone `name` as the control plane publishes it: one firewall rule blocking on `expression`,
// compiled into its program. An expression that does not compile stands for a zone no proxy
// can link (a program from a newer control plane): it gets a program of an unknown version.
// `lists`: the account-level lists the expression may name.
snapshot::v1::CompiledZone CompiledTestZone(const std::string& name, uint64_t version,
                                            const std::string& expression = "true",
                                            std::shared_ptr<const rules::ListTable> lists = {});

}  // namespace gatehouse::testing
