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
// Returns nullopt when `args` is not a compile command, else the exit code.
std::optional<int> RunCompileCommand(const std::vector<std::string>& args);

}  // namespace gatehouse::gatectl
