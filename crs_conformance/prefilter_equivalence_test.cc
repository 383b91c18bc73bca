// The WAF's shortcuts decide which rules and which values are tested: the prefilter, and the TX
// gates a zone's settings decide once (Evaluator::DecideTxGates) and the rules those decisions
// and the zone's modes leave a request to visit (PlanVisits). They must never change a
// verdict. Every request of the benign corpus (crs_conformance/benign) and, when it is next to
// the checkout, of the CRS regression corpus, goes through Debian's CRS at each paranoia level
// twice: with the prefilter for that level and the zone's gate decisions, and with neither
// (every rule tested on every value). The logged rules, the refusing rule and the anomaly score
// must be the same.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "compiler/seclang_import/crs_import.h"
#include "crs_conformance/benign/corpus.h"
#include "crs_conformance/engine_request.h"
#include "ftw/corpus_reader.h"
#include "ftw/request_builder.h"
#include "gtest/gtest.h"
#include "waf/evaluator.h"
#include "waf/zone_settings.h"

namespace gatehouse::crs_conformance {
namespace {

namespace fs = std::filesystem;

std::string Outcome(const waf::LinkedProgram& program, const waf::EvaluationResult& result) {
  std::string out = result.denied ? "denied by " + program.rules()[result.deny_rule].id_text
                                  : std::string("passed");
  out += ", score " + std::to_string(result.anomaly_score) + ", logged";
  for (const waf::RuleMatch& match : result.matches) {
    out += " " + program.rules()[match.rule_index].id_text + "(" + match.variable + ")";
  }
  return out;
}

class PrefilterEquivalence {
 public:
  explicit PrefilterEquivalence(const waf::LinkedProgram& program) : program_(program) {}

  // Evaluates `request` at each paranoia level with and without the prefilter; a difference is
  // added to the report.
  void Check(const std::string& name, const ftw::Request& request) {
    const EngineRequest engine_request(request);
    for (uint32_t level = 1; level <= 4; ++level) {
      waf::EvaluationSettings settings = waf::ZoneSettings(program_, level, 5);
      settings.detection_only = true;  // every rule runs, so every match is compared
      evaluator_.Evaluate(program_, engine_request.data(), settings, &with_);
      EXPECT_FALSE(settings.decisions.empty());
      EXPECT_FALSE(settings.visits.empty());
      settings.use_prefilter = false;
      settings.decisions.clear();
      settings.visits = {};
      evaluator_.Evaluate(program_, engine_request.data(), settings, &without_);
      const std::string filtered = Outcome(program_, with_);
      const std::string unfiltered = Outcome(program_, without_);
      ++evaluations_;
      if (filtered != unfiltered && differences_++ < 20) {
        report_ += name + " at paranoia level " + std::to_string(level) + ":\n  prefilter: " +
                   filtered + "\n  none:      " + unfiltered + "\n";
      }
    }
  }

  int evaluations() const { return evaluations_; }
  int differences() const { return differences_; }
  const std::string& report() const { return report_; }

 private:
  const waf::LinkedProgram& program_;
  waf::Evaluator evaluator_;
  waf::EvaluationResult with_, without_;
  int evaluations_ = 0;
  int differences_ = 0;
  std::string report_;
};

std::shared_ptr<const waf::LinkedProgram> LinkCrs(const seclang_import::CrsImportOptions& options) {
  absl::StatusOr<waf::v1::WafProgram> program = seclang_import::ImportCrs(options);
  EXPECT_TRUE(program.ok()) << program.status();
  if (!program.ok()) return nullptr;
  absl::StatusOr<std::shared_ptr<const waf::LinkedProgram>> linked =
      waf::LinkedProgram::Link(*program);
  EXPECT_TRUE(linked.ok()) << linked.status();
  return linked.ok() ? *linked : nullptr;
}

TEST(PrefilterEquivalenceTest, BenignCorpusGetsTheSameVerdictsWithoutThePrefilter) {
  const std::shared_ptr<const waf::LinkedProgram> program =
      LinkCrs(seclang_import::CrsImportOptions{});
  ASSERT_NE(program, nullptr);
  PrefilterEquivalence check(*program);
  const std::vector<benign::BenignRequest> corpus =
      benign::GenerateBenignCorpus(benign::kDefaultSeed, 500);
  for (size_t i = 0; i < corpus.size(); ++i) {
    check.Check("benign request " + std::to_string(i), corpus[i].request);
  }
  EXPECT_EQ(check.differences(), 0) << check.report();
  std::printf("%d evaluations, %d differences\n", check.evaluations(), check.differences());
}

TEST(PrefilterEquivalenceTest, CrsRegressionCorpusGetsTheSameVerdictsWithoutThePrefilter) {
  // ../shared of the source checkout, as corpus_test finds it, or GATEHOUSE_CRS_TESTS.
  std::string corpus;
  if (const char* value = std::getenv("GATEHOUSE_CRS_TESTS"); value != nullptr && *value) {
    corpus = value;
  } else {
    std::error_code error;
    const fs::path source = fs::canonical("crs_conformance/overrides.txt", error);
    const fs::path shared = source.parent_path().parent_path().parent_path() / "shared";
    if (!error && fs::exists(shared / "crs-3.3.4-tests")) corpus = shared / "crs-3.3.4-tests";
  }
  if (corpus.empty()) GTEST_SKIP() << "the CRS regression corpus is not next to the checkout";
  seclang_import::CrsImportOptions import;
  import.extra_setup = seclang_import::CrsRegressionSetup();
  const std::shared_ptr<const waf::LinkedProgram> program = LinkCrs(import);
  ASSERT_NE(program, nullptr);
  absl::StatusOr<std::vector<ftw::Stage>> stages = ftw::ReadCorpus({corpus});
  ASSERT_TRUE(stages.ok()) << stages.status();
  PrefilterEquivalence check(*program);
  for (const ftw::Stage& stage : *stages) {
    check.Check(stage.id, ftw::BuildRequest(stage.input, stage.legacy));
  }
  EXPECT_EQ(check.differences(), 0) << check.report();
  std::printf("%d evaluations, %d differences\n", check.evaluations(), check.differences());
}

}  // namespace
}  // namespace gatehouse::crs_conformance
