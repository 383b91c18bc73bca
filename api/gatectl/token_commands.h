#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/gatectl/command.h"

namespace gatehouse::gatectl {

// `tokens create|list|revoke` (admin token required). `tokens create` prints the new token alone
// on stdout. Returns the exit code, or nullopt when `args` is not a tokens command.
std::optional<int> RunTokenCommand(const std::vector<std::string>& args,
                                   const GlobalOptions& options, const CommandOptions& command);

}  // namespace gatehouse::gatectl
