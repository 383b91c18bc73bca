#pragma once

// Two files the conformance test compares against: the libmodsecurity baseline's verdict per
// stage (../shared/tools/modsec-baseline's results TSV) and Gatehouse's documented overrides
// (overrides.txt: the stages where Gatehouse's verdict differs from that baseline, each with its
// reason).

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace gatehouse::crs_conformance {

// Stage id -> "pass" | "fail" | "n/a" | "disabled", from the baseline's TSV (header line, then
// stage, folder, verdict, usec, logged ids).
absl::StatusOr<std::map<std::string, std::string>> ReadBaselineVerdicts(const std::string& path);

struct Override {
  std::string verdict;  // Gatehouse's verdict: "pass" or "fail"
  std::string reason;
};

// Lines "<stage id> <pass|fail> <reason...>"; '#' starts a comment line. An error names the line.
absl::StatusOr<std::map<std::string, Override>> ReadOverrides(const std::string& path);

}  // namespace gatehouse::crs_conformance
