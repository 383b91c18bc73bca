#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/gatectl/command.h"

namespace gatehouse::gatectl {

// `certs upload ZONE --cert CHAIN.pem --key KEY.pem`, `certs list [ZONE]`,
// `certs delete ZONE FINGERPRINT`. `list` prints a table, then a warning line on stderr for
// each certificate expired or expiring within 14 days. Returns the exit code, or nullopt when
// `args` is not a certs command.
std::optional<int> RunCertificateCommand(const std::vector<std::string>& args,
                                         const GlobalOptions& options,
                                         const CommandOptions& command);

}  // namespace gatehouse::gatectl
