#include "crs_conformance/runner.h"

#include <chrono>
#include <set>

#include "crs_conformance/engine_request.h"
#include "ftw/request_builder.h"
#include "waf/evaluator.h"

namespace gatehouse::crs_conformance {

std::vector<StageResult> RunStages(const waf::LinkedProgram& program,
                                   const std::vector<ftw::Stage>& stages,
                                   const RunOptions& options) {
  waf::Evaluator evaluator;
  waf::EvaluationResult result;
  waf::EvaluationSettings settings;
  settings.detection_only = true;
  settings.log_lines = true;
  const std::string level = std::to_string(options.paranoia_level);
  settings.tx = {{"executing_paranoia_level", level}, {"paranoia_level", level}};

  std::vector<StageResult> results;
  for (const ftw::Stage& stage : stages) {
    if (!options.only_rule.empty() && stage.rule_id != options.only_rule) continue;
    StageResult out;
    out.stage = &stage;
    const ftw::Request request = ftw::BuildRequest(stage.input, stage.legacy);
    const EngineRequest engine_request(request);

    const auto start = std::chrono::steady_clock::now();
    evaluator.Evaluate(program, engine_request.data(), settings, &result);
    out.engine_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::set<std::string> ids;
    for (const waf::RuleMatch& match : result.matches) {
      ids.insert(program.rules()[match.rule_index].id_text);
    }
    out.logged_ids.assign(ids.begin(), ids.end());
    out.verdict = ftw::Judge(stage, result.log_lines, &out.why);
    results.push_back(std::move(out));
  }
  return results;
}

std::map<std::string, Tally> TallyByFolder(const std::vector<StageResult>& results) {
  std::map<std::string, Tally> tallies;
  for (const StageResult& result : results) {
    Tally& tally = tallies[result.stage->folder];
    switch (result.verdict) {
      case ftw::Verdict::kPass:
        ++tally.passed;
        break;
      case ftw::Verdict::kFail:
        ++tally.failed;
        break;
      case ftw::Verdict::kNeedsServer:
        ++tally.needs_server;
        break;
      case ftw::Verdict::kDisabled:
        ++tally.disabled;
        break;
    }
  }
  return tallies;
}

Tally Total(const std::vector<StageResult>& results) {
  Tally total;
  for (const auto& [folder, tally] : TallyByFolder(results)) {
    total.passed += tally.passed;
    total.failed += tally.failed;
    total.needs_server += tally.needs_server;
    total.disabled += tally.disabled;
  }
  return total;
}

}  // namespace gatehouse::crs_conformance
