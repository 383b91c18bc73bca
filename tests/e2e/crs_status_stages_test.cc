// The CRS regression corpus's status-only stages through a real proxy: the stages that assert
// only an HTTP status (or that the client gets no answer), which `gatectl crs-test` and the
// in-process corpus test count apart because only a server can judge them. Each stage's request
// bytes go over a raw socket to a file-only edge (gatectl compile + proxy --snapshot-file) whose
// zone serves the corpus's hosts and executes owasp-crs at paranoia level 4 (the corpus's level)
// with CRS's threshold 5 and action block; the answer must be one the stage expects, unless
// crs_conformance/status_overrides.txt lists the stage with the reason.
//
// The corpus is not part of the repository (../shared next to the checkout, or
// GATEHOUSE_CRS_TESTS); without it the test says so and skips.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "crs_conformance/verdict_file.h"
#include "ftw/corpus_reader.h"
#include "ftw/request_builder.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/proxy_process.h"

namespace gatehouse::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kOverrides[] = "crs_conformance/status_overrides.txt";
// Per stage: a stage that expects no answer waits this long for one.
constexpr int kDeadlineMs = 3000;

std::string CorpusDirectory() {
  if (const char* value = std::getenv("GATEHOUSE_CRS_TESTS"); value != nullptr && *value != '\0') {
    return value;
  }
  // ../shared of the source checkout: the overrides file in the runfiles is a link into it.
  std::error_code error;
  const fs::path source = fs::canonical(kOverrides, error);
  if (error) return "";
  const fs::path corpus =
      source.parent_path().parent_path().parent_path() / "shared" / "crs-3.3.4-tests";
  return fs::exists(corpus) ? corpus.string() : "";
}

// The zone every stage's request reaches: the hosts the corpus sends.
std::string ZoneJson(uint16_t origin_port) {
  return absl::StrReplaceAll(R"json({
  "zone": "crs.test",
  "hostnames": ["localhost", "crs.test"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:PORT"]}],
  "rulesets": [{"phase": "http_request_firewall_managed", "rules": [
    {"id": "crs", "expression": "true", "action": "execute",
     "action_parameters": {"id": "owasp-crs",
       "overrides": {"paranoia_level": 4, "score_threshold": 5, "action": "block"}}}]}]
})json",
                             {{"PORT", std::to_string(origin_port)}});
}

// The bytes a test runner sends: a raw request as written, else the completed request.
std::string WireBytes(const ftw::Stage& stage) {
  if (stage.input.raw_request.has_value()) return *stage.input.raw_request;
  return ftw::BuildRequest(stage.input, stage.legacy).Serialize();
}

// The status of the answer's first line, or -1 for no answer.
int StatusOf(const std::string& answer) {
  if (!answer.starts_with("HTTP/") || answer.size() < 12) return -1;
  return std::atoi(answer.substr(answer.find(' ') + 1, 3).c_str());
}

bool StatusOnly(const ftw::Stage& stage) {
  return stage.enabled && !stage.output.HasLogAssertion() &&
         (!stage.output.status.empty() || stage.output.expect_error);
}

std::string Expected(const ftw::StageOutput& output) {
  if (output.status.empty()) return "no answer (a client error)";
  std::string out;
  for (int status : output.status) out += (out.empty() ? "" : " or ") + std::to_string(status);
  return out;
}

TEST(CrsStatusStagesTest, EveryStatusOnlyStageGetsAnExpectedAnswerOrItsDocumentedException) {
  const std::string corpus = CorpusDirectory();
  if (corpus.empty()) {
    GTEST_SKIP() << "the CRS regression corpus is not next to the checkout; set "
                    "GATEHOUSE_CRS_TESTS";
  }
  absl::StatusOr<std::vector<ftw::Stage>> all = ftw::ReadCorpus({corpus});
  ASSERT_TRUE(all.ok()) << all.status();
  std::vector<const ftw::Stage*> stages;
  for (const ftw::Stage& stage : *all) {
    if (StatusOnly(stage)) stages.push_back(&stage);
  }
  ASSERT_FALSE(stages.empty()) << "no status-only stage in " << corpus;
  auto overrides = crs_conformance::ReadOverrides(kOverrides);
  ASSERT_TRUE(overrides.ok()) << overrides.status();

  auto origin = StartDemoOrigin("crs");
  ASSERT_TRUE(origin.ok()) << origin.status();
  const std::string snapshot = UniqueTestPath("crs-status") + ".snapshot";
  const CommandResult compiled = CompileSnapshot({ZoneJson(origin->port)}, snapshot);
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
  auto proxy = StartProxy({"--snapshot-file=" + snapshot, "--snapshot-poll-ms=0", "--workers=1"});
  ASSERT_TRUE(proxy.ok()) << proxy.status();

  int passed = 0;
  int excepted = 0;
  std::set<std::string> used;
  for (const ftw::Stage* stage : stages) {
    absl::StatusOr<std::string> answer = RawExchange(proxy->port, WireBytes(*stage), kDeadlineMs);
    const int status = answer.ok() ? StatusOf(*answer) : -1;
    const std::vector<int>& expected = stage->output.status;
    const bool pass = expected.empty()
                          ? status == -1
                          : std::find(expected.begin(), expected.end(), status) != expected.end();
    const auto override = overrides->find(stage->id);
    if (override != overrides->end()) {
      used.insert(stage->id);
      EXPECT_FALSE(pass) << stage->id << " gets an expected answer (" << status
                         << "): take it out of " << kOverrides;
      ++excepted;
      continue;
    }
    EXPECT_TRUE(pass) << stage->id << ": answered " << status << ", expected "
                      << Expected(stage->output) << "\n"
                      << WireBytes(*stage).substr(0, 400);
    passed += pass;
  }
  for (const auto& [stage, override] : *overrides) {
    EXPECT_TRUE(used.contains(stage))
        << stage << " is in " << kOverrides << " but is not a status-only stage";
  }
  std::printf("%d passed, %d failed (status-only stages; %d documented exceptions)\n", passed,
              static_cast<int>(stages.size()) - passed - excepted, excepted);
}

}  // namespace
}  // namespace gatehouse::testing
