// The whole CRS 3.3.4 regression corpus through the managed WAF, stage by stage against
// libmodsecurity 3.0.9's verdicts: every stage must get the baseline's verdict unless
// overrides.txt lists it with Gatehouse's verdict and the reason, and Gatehouse must pass at least
// as many stages as libmodsecurity does.
//
// The corpus and the baseline are not part of the repository (../shared next to the checkout, or
// GATEHOUSE_CRS_TESTS and GATEHOUSE_CRS_BASELINE); without them the test says so and skips.
#include <cstdlib>
#include <filesystem>
#include <set>

#include "compiler/seclang_import/crs_import.h"
#include "crs_conformance/runner.h"
#include "crs_conformance/verdict_file.h"
#include "ftw/corpus_reader.h"
#include "gtest/gtest.h"

namespace gatehouse::crs_conformance {
namespace {

namespace fs = std::filesystem;

constexpr char kOverrides[] = "crs_conformance/overrides.txt";

// ../shared of the source checkout: the overrides file in the runfiles is a link into it.
fs::path SharedDirectory() {
  std::error_code error;
  const fs::path source = fs::canonical(kOverrides, error);
  if (error) return {};
  return source.parent_path().parent_path().parent_path() / "shared";
}

std::string Locate(const char* variable, const fs::path& fallback) {
  if (const char* value = std::getenv(variable); value != nullptr && *value != '\0') return value;
  return fs::exists(fallback) ? fallback.string() : std::string();
}

TEST(CrsCorpusTest, EveryStageAgreesWithTheBaselineOrItsDocumentedOverride) {
  const fs::path shared = SharedDirectory();
  const std::string corpus = Locate("GATEHOUSE_CRS_TESTS", shared / "crs-3.3.4-tests");
  const std::string baseline_file = Locate(
      "GATEHOUSE_CRS_BASELINE",
      shared / "tools" / "modsec-baseline" / "results-libmodsecurity-3.0.9.tsv");
  if (corpus.empty() || baseline_file.empty()) {
    GTEST_SKIP() << "the CRS regression corpus or its baseline is not next to the checkout ("
                 << shared << "); set GATEHOUSE_CRS_TESTS and GATEHOUSE_CRS_BASELINE";
  }

  seclang_import::CrsImportOptions import;
  import.extra_setup = seclang_import::CrsRegressionSetup();
  absl::StatusOr<waf::v1::WafProgram> program = seclang_import::ImportCrs(import);
  ASSERT_TRUE(program.ok()) << program.status();
  absl::StatusOr<std::shared_ptr<const waf::LinkedProgram>> linked =
      waf::LinkedProgram::Link(*program);
  ASSERT_TRUE(linked.ok()) << linked.status();
  absl::StatusOr<std::vector<ftw::Stage>> stages = ftw::ReadCorpus({corpus});
  ASSERT_TRUE(stages.ok()) << stages.status();
  absl::StatusOr<std::map<std::string, std::string>> baseline =
      ReadBaselineVerdicts(baseline_file);
  ASSERT_TRUE(baseline.ok()) << baseline.status();
  absl::StatusOr<std::map<std::string, Override>> overrides = ReadOverrides(kOverrides);
  ASSERT_TRUE(overrides.ok()) << overrides.status();

  const std::vector<StageResult> results = RunStages(**linked, *stages, RunOptions{});
  int baseline_passed = 0;
  std::set<std::string> used_overrides;
  std::string disagreements;
  for (const StageResult& result : results) {
    const std::string ours(ftw::VerdictName(result.verdict));
    auto expected = baseline->find(result.stage->id);
    ASSERT_NE(expected, baseline->end()) << result.stage->id << " is not in the baseline";
    if (expected->second == "pass") ++baseline_passed;
    if (ours != "pass" && ours != "fail") continue;  // needs a server, or disabled
    std::string want = expected->second;
    if (auto override = overrides->find(result.stage->id); override != overrides->end()) {
      used_overrides.insert(override->first);
      want = override->second.verdict;
    }
    if (ours != want) {
      std::string ids;
      for (const std::string& id : result.logged_ids) ids += " " + id;
      disagreements += result.stage->id + ": " + ours + ", expected " + want + " (" +
                       result.why + "; logged" + ids + ")\n";
    }
  }
  EXPECT_TRUE(disagreements.empty()) << disagreements;
  for (const auto& [stage, override] : *overrides) {
    EXPECT_TRUE(used_overrides.contains(stage)) << stage << " is in overrides.txt but not judged";
  }
  const Tally total = Total(results);
  EXPECT_GE(total.passed, baseline_passed);
  std::printf("%d passed, %d failed (libmodsecurity 3.0.9: %d passed)\n", total.passed,
              total.failed, baseline_passed);
}

}  // namespace
}  // namespace gatehouse::crs_conformance
