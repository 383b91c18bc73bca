#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gatehouse::gatectl {

struct CrsTestOptions {
  int64_t paranoia_level = 4;
  std::string only;  // a rule id
  bool json = false;
  std::string crs_dir = "/usr/share/modsecurity-crs/rules";
  std::string crs_setup = "/etc/modsecurity/crs/crs-setup.conf";
};

// `gatectl crs-test DIR... [--paranoia-level N] [--json] [--only ID]`: runs a CRS regression
// corpus (legacy ftw or go-ftw YAML; a later directory's file replaces an earlier one's) through
// the managed WAF in-process, with the engine set-up the corpus assumes (detection only, the
// given paranoia level, 910000 removed, the argument limits of its README), the CRS found with
// --crs-dir / --crs-setup. Prints every failing stage and why, a summary per folder, and the
// final line "N passed, N failed" (stages that assert only a status, and disabled files, are
// counted apart). Exit 0 when every judged stage passed, 1 otherwise.
// Returns nullopt when `args` is not a crs-test command, else the exit code.
std::optional<int> RunCrsTestCommand(const std::vector<std::string>& args,
                                     const CrsTestOptions& options);

}  // namespace gatehouse::gatectl
