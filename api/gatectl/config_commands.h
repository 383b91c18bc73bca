#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/gatectl/command.h"

namespace gatehouse::gatectl {

// The zone config commands: push, validate, get, diff, versions, rollback, delete, zones,
// watch. Returns the exit code, or nullopt when `args` names none of them.
std::optional<int> RunConfigCommand(const std::vector<std::string>& args,
                                    const GlobalOptions& options, const CommandOptions& command);

}  // namespace gatehouse::gatectl
