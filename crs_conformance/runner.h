#pragma once

// Runs CRS regression stages (//ftw) through the managed WAF's engine in-process, with the
// engine set-up the corpus assumes, and judges each stage by the log lines the engine wrote.
// `gatectl crs-test` and the corpus test in CI both use it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ftw/judge.h"
#include "ftw/stage.h"
#include "waf/linked_program.h"

namespace gatehouse::crs_conformance {

struct StageResult {
  const ftw::Stage* stage = nullptr;
  ftw::Verdict verdict = ftw::Verdict::kFail;
  std::string why;  // for a failure
  std::vector<std::string> logged_ids;
  int64_t engine_ns = 0;
};

struct RunOptions {
  uint32_t paranoia_level = 4;
  // Only stages of files testing this rule id, when set.
  std::string only_rule;
};

// Runs every stage (in order). The program's engine set-up is the caller's (CrsRegressionSetup).
std::vector<StageResult> RunStages(const waf::LinkedProgram& program,
                                   const std::vector<ftw::Stage>& stages,
                                   const RunOptions& options);

struct Tally {
  int passed = 0;
  int failed = 0;
  int needs_server = 0;
  int disabled = 0;
};

// Per folder, in name order, and the total.
std::map<std::string, Tally> TallyByFolder(const std::vector<StageResult>& results);
Tally Total(const std::vector<StageResult>& results);

}  // namespace gatehouse::crs_conformance
