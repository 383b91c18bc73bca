#include "api/gatectl/crs_test_command.h"

#include <algorithm>
#include <cstdio>

#include "api/gatectl/command.h"
#include "common/json_string.h"
#include "compiler/seclang_import/crs_import.h"
#include "crs_conformance/runner.h"
#include "ftw/corpus_reader.h"
#include "google/protobuf/util/json_util.h"

namespace gatehouse::gatectl {

std::optional<int> RunCrsTestCommand(const std::vector<std::string>& args,
                                     const CrsTestOptions& options) {
  if (args.empty() || args[0] != "crs-test") return std::nullopt;
  if (args.size() < 2) {
    std::fprintf(stderr, "gatectl crs-test: give the corpus directory (or several)\n");
    return kExitUsage;
  }
  if (options.paranoia_level < 1 || options.paranoia_level > 4) {
    std::fprintf(stderr, "gatectl crs-test: --paranoia-level must be 1 to 4\n");
    return kExitUsage;
  }
  seclang_import::CrsImportOptions import;
  import.load.rules_dir = options.crs_dir;
  import.load.setup_file = options.crs_setup;
  import.extra_setup = seclang_import::CrsRegressionSetup();
  absl::StatusOr<waf::v1::WafProgram> program = seclang_import::ImportCrs(import);
  if (!program.ok()) {
    std::fprintf(stderr, "gatectl crs-test: %s\n", std::string(program.status().message()).c_str());
    return kExitInvalid;
  }
  absl::StatusOr<std::shared_ptr<const waf::LinkedProgram>> linked =
      waf::LinkedProgram::Link(*program);
  if (!linked.ok()) {
    std::fprintf(stderr, "gatectl crs-test: %s\n", std::string(linked.status().message()).c_str());
    return kExitInvalid;
  }
  const std::vector<std::string> directories(args.begin() + 1, args.end());
  absl::StatusOr<std::vector<ftw::Stage>> stages = ftw::ReadCorpus(directories);
  if (!stages.ok()) {
    std::fprintf(stderr, "gatectl crs-test: %s\n", std::string(stages.status().message()).c_str());
    return kExitUsage;
  }
  crs_conformance::RunOptions run;
  run.paranoia_level = static_cast<uint32_t>(options.paranoia_level);
  run.only_rule = options.only;
  const std::vector<crs_conformance::StageResult> results =
      crs_conformance::RunStages(**linked, *stages, run);
  const crs_conformance::Tally total = crs_conformance::Total(results);

  if (options.json) {
    std::printf("{\"ruleset\":%s,\"stages\":[", JsonString(program->ruleset_version()).c_str());
    for (size_t i = 0; i < results.size(); ++i) {
      const auto& result = results[i];
      std::string ids;
      for (const std::string& id : result.logged_ids) ids += (ids.empty() ? "" : ",") + JsonString(id);
      std::printf("%s{\"stage\":%s,\"folder\":%s,\"verdict\":%s,\"why\":%s,\"logged\":[%s],"
                  "\"engine_us\":%.1f}",
                  i == 0 ? "" : ",", JsonString(result.stage->id).c_str(),
                  JsonString(result.stage->folder).c_str(),
                  JsonString(ftw::VerdictName(result.verdict)).c_str(),
                  JsonString(result.why).c_str(), ids.c_str(), result.engine_ns / 1000.0);
    }
    std::printf("],\"passed\":%d,\"failed\":%d,\"needs_server\":%d,\"disabled\":%d}\n",
                total.passed, total.failed, total.needs_server, total.disabled);
    return total.failed == 0 ? kExitOk : kExitInvalid;
  }

  for (const auto& result : results) {
    if (result.verdict != ftw::Verdict::kFail) continue;
    std::string ids;
    for (const std::string& id : result.logged_ids) ids += " " + id;
    std::printf("FAIL %s: %s (logged:%s)\n", result.stage->id.c_str(), result.why.c_str(),
                ids.empty() ? " nothing" : ids.c_str());
  }
  std::vector<int64_t> times;
  for (const auto& result : results) times.push_back(result.engine_ns);
  std::sort(times.begin(), times.end());
  std::printf("%s, paranoia level %lld: %d rules run, %d left out (gatectl managed show)\n",
              program->ruleset_version().c_str(), static_cast<long long>(options.paranoia_level),
              program->rules_size(), program->omitted_size());
  for (const auto& [folder, tally] : crs_conformance::TallyByFolder(results)) {
    std::printf("  %-50s passed %4d  failed %4d  status only %3d  disabled %3d\n", folder.c_str(),
                tally.passed, tally.failed, tally.needs_server, tally.disabled);
  }
  if (!times.empty()) {
    std::printf("engine time per stage: median %.1f us, p90 %.1f us\n",
                times[times.size() / 2] / 1000.0, times[times.size() * 9 / 10] / 1000.0);
  }
  std::printf("status only %d, disabled %d\n", total.needs_server, total.disabled);
  std::printf("%d passed, %d failed\n", total.passed, total.failed);
  return total.failed == 0 ? kExitOk : kExitInvalid;
}

}  // namespace gatehouse::gatectl
