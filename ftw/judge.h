#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ftw/stage.h"

namespace gatehouse::ftw {

enum class Verdict {
  kPass,
  kFail,
  // The stage asserts nothing a log can show (only a status, an error or a response body): a
  // real server in front of the engine judges it.
  kNeedsServer,
  // The test file is disabled (meta.enabled: false).
  kDisabled,
};

std::string_view VerdictName(Verdict verdict);

// Judges a stage by the log lines the WAF wrote for its request. The log assertions are
// regular expressions searched in each line, as ModSecurity's runners do; expect_ids looks for
// ModSecurity's `[id "NNN"]` form. A pattern RE2 cannot read fails the stage (and says so in
// `why` when given).
Verdict Judge(const Stage& stage, const std::vector<std::string>& log_lines,
              std::string* why = nullptr);

}  // namespace gatehouse::ftw
