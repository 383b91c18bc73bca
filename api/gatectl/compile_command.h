#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gatehouse::gatectl {

// `gatectl compile ZONE.json [MORE.json …] -o SNAPSHOT` compiles zone configs locally (no
// server) into a snapshot file that `proxy --snapshot-file` serves. Options after the command:
//   -o PATH        output file (required)
//   -v N           snapshot version (default: the current Unix time in milliseconds, so a
//                  newer compile supersedes an older one)
// `certs` (the --cert flags) are "ZONE=CHAIN.pem,KEY.pem": each is checked as the control plane
// checks an upload and travels, key and all, in the zone's entry; one expiring within 14 days
// is warned of.
// Returns nullopt when `args` is not a compile command, else the exit code.
std::optional<int> RunCompileCommand(const std::vector<std::string>& args,
                                     const std::vector<std::string>& certs = {});

}  // namespace gatehouse::gatectl
