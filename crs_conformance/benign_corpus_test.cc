// False positives of the managed WAF: the benign corpus (crs_conformance/benign, 10,000
// requests, the default seed) through Debian's CRS as a zone executing owasp-crs at paranoia
// level 1 runs it, with CRS's own threshold 5 (the product's default, the strictest setting a
// zone is likely to run). What it blocks must stay under the bound recorded here: a change in the
// translation, the evaluator or the request collections that blocks more benign traffic fails
// the test, with the rules and an example request of each. bench/false_positive_compare puts the
// same corpus through libmodsecurity too (bench/RESULTS.md has both).
#include <map>
#include <string>

#include "compiler/seclang_import/crs_import.h"
#include "crs_conformance/benign/corpus.h"
#include "crs_conformance/zone_waf.h"
#include "gtest/gtest.h"

namespace gatehouse::crs_conformance {
namespace {

// Measured when the test was written (2026-12-03): Gatehouse blocks 785, and libmodsecurity 3.0.9
// with the same CRS blocks 785 too (bench/RESULTS.md). Most are CRS's own verdicts on ordinary
// API traffic: 911100 refuses PUT, PATCH and DELETE unless tx.allowed_methods lists them. A
// little room for the engine work under way; lower it when Gatehouse blocks fewer.
constexpr int kMaxBlocked = 800;

TEST(BenignCorpusTest, ParanoiaLevelOneBlocksNoMoreThanTheRecordedBound) {
  absl::StatusOr<waf::v1::WafProgram> program =
      seclang_import::ImportCrs(seclang_import::CrsImportOptions{});
  ASSERT_TRUE(program.ok()) << program.status();
  absl::StatusOr<std::shared_ptr<const waf::LinkedProgram>> linked =
      waf::LinkedProgram::Link(*program);
  ASSERT_TRUE(linked.ok()) << linked.status();
  ZoneWaf zone(*linked, /*paranoia_level=*/1, /*score_threshold=*/5);

  const std::vector<benign::BenignRequest> corpus =
      benign::GenerateBenignCorpus(benign::kDefaultSeed, benign::kDefaultCount);
  int blocked = 0;
  // Rule id -> blocked requests it matched in, and the first such request.
  std::map<std::string, int> by_rule;
  std::map<std::string, std::string> example;
  for (const benign::BenignRequest& item : corpus) {
    const WafVerdict verdict = zone.Check(item.request);
    if (!verdict.blocked) continue;
    ++blocked;
    for (const std::string& id : verdict.rule_ids) {
      if (by_rule[id]++ == 0) example[id] = item.request.Serialize().substr(0, 600);
    }
  }
  std::string report;
  for (const auto& [id, count] : by_rule) {
    report += id + ": " + std::to_string(count) + " blocked requests, e.g.\n" + example[id] + "\n";
  }
  EXPECT_LE(blocked, kMaxBlocked) << report;
  std::printf("blocked %d of %d benign requests (bound %d)\n%s", blocked,
              static_cast<int>(corpus.size()), kMaxBlocked, report.c_str());
}

}  // namespace
}  // namespace gatehouse::crs_conformance
