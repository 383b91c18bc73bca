#include "compiler/seclang_import/translator.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "seclang/parser.h"
#include "waf/evaluator.h"
#include "waf/linked_program.h"

namespace gatehouse::seclang_import {
namespace {

seclang::LoadedRuleset FromText(const std::string& text) {
  absl::StatusOr<seclang::ConfigFile> file = seclang::ParseSecLang(text, "test.conf");
  EXPECT_TRUE(file.ok()) << file.status();
  seclang::LoadedRuleset ruleset;
  ruleset.version = "test";
  ruleset.digest = "0";
  if (file.ok()) ruleset.directives = file->directives;
  return ruleset;
}

struct Request {
  rules::HeaderList headers;
  rules::RequestData data;
  explicit Request(std::string_view target, std::string_view method = "GET",
                   rules::HeaderList list = {{"Host", "example.com"},
                                             {"User-Agent", "Mozilla/5.0"},
                                             {"Accept", "text/html"}})
      : headers(std::move(list)) {
    data.method = method;
    data.raw_target = target;
    data.headers = &headers;
  }
};

std::vector<std::string> Ids(const waf::LinkedProgram& program,
                             const waf::EvaluationResult& result) {
  std::vector<std::string> ids;
  for (const waf::RuleMatch& match : result.matches) {
    ids.push_back(program.rules()[match.rule_index].id_text);
  }
  return ids;
}

TEST(TranslatorTest, ConstantInitialisationIsFoldedAndSkipsDropDeadRules) {
  const seclang::LoadedRuleset ruleset = FromText(R"conf(
SecDefaultAction "phase:2,log,pass"
SecAction "id:1,phase:1,nolog,pass,setvar:tx.critical_anomaly_score=5,setvar:tx.sampling=100"
SecRule &TX:threshold "@eq 0" "id:2,phase:1,nolog,pass,setvar:tx.threshold=%{tx.critical_anomaly_score}"
SecRule TX:sampling "@eq 100" "id:3,phase:1,nolog,pass,skipAfter:END-SAMPLING"
SecRule UNIQUE_ID "@rx ^(.)" "id:4,phase:1,nolog,pass,capture,setvar:tx.rnd=%{TX.1}"
SecMarker "END-SAMPLING"
SecRule ARGS "@rx attack" "id:10,phase:2,block,msg:'Attack',setvar:'tx.anomaly_score=+%{tx.critical_anomaly_score}'"
SecRule TX:ANOMALY_SCORE "@ge %{tx.threshold}" "id:949110,phase:2,deny,log"
SecRule RESPONSE_BODY "@rx secret" "id:950000,phase:4,block"
)conf");
  absl::StatusOr<waf::v1::WafProgram> program = TranslateRuleset(ruleset);
  ASSERT_TRUE(program.ok()) << program.status();
  // 1, 2 and 3 ran at compile time; 4 is dead code behind a skip that always happens.
  ASSERT_EQ(program->rules_size(), 2);
  EXPECT_EQ(program->rules(0).id(), "10");
  EXPECT_EQ(program->rules(0).conditions(0).setvars(0).value(), "5");
  EXPECT_EQ(program->rules(1).conditions(0).operator_().argument(), "5");
  EXPECT_FALSE(program->rules(1).conditions(0).operator_().runtime_macros());
  bool threshold_folded = false;
  for (const auto& variable : program->initial_tx()) {
    threshold_folded |= variable.name() == "threshold" && variable.value() == "5";
  }
  EXPECT_TRUE(threshold_folded);
  ASSERT_EQ(program->omitted_size(), 1);
  EXPECT_EQ(program->omitted(0).id(), "950000");
  EXPECT_NE(program->omitted(0).reason().find("phase 4"), std::string::npos);
}

TEST(TranslatorTest, ZoneVariablesStayRuntimeAndGatesTagParanoiaLevels) {
  const seclang::LoadedRuleset ruleset = FromText(R"conf(
SecRule &TX:paranoia_level "@eq 0" "id:901120,phase:1,pass,nolog,setvar:tx.paranoia_level=1"
SecRule TX:EXECUTING_PARANOIA_LEVEL "@lt 2" "id:920015,phase:1,pass,nolog,skipAfter:END-920"
SecRule REQUEST_HEADERS:Range "@rx ^bytes=" "id:920200,phase:1,block,setvar:tx.anomaly_score=+3"
SecMarker "END-920"
SecRule ARGS "@rx (a)(b)" "id:920300,phase:1,block,capture,chain"
  SecRule TX:2 "@streq b" "setvar:tx.anomaly_score=+5"
)conf");
  absl::StatusOr<waf::v1::WafProgram> program = TranslateRuleset(ruleset);
  ASSERT_TRUE(program.ok()) << program.status();
  ASSERT_EQ(program->rules_size(), 4);
  EXPECT_EQ(program->rules(1).skip_to(), 3u);
  EXPECT_EQ(program->rules(2).paranoia_level(), 2u);
  EXPECT_EQ(program->rules(3).paranoia_level(), 0u);

  absl::StatusOr<std::shared_ptr<const waf::LinkedProgram>> linked =
      waf::LinkedProgram::Link(*program);
  ASSERT_TRUE(linked.ok()) << linked.status();
  waf::Evaluator evaluator;
  waf::EvaluationResult result;
  Request request("/?x=ab", "GET",
                  {{"Host", "h"}, {"Range", "bytes=0-1"}});
  waf::EvaluationSettings settings;
  settings.tx = {{"paranoia_level", "1"}, {"executing_paranoia_level", "1"}};
  evaluator.Evaluate(**linked, request.data, settings, &result);
  EXPECT_EQ(Ids(**linked, result), std::vector<std::string>{"920300"});
  EXPECT_EQ(result.anomaly_score, 5);
  settings.tx = {{"paranoia_level", "2"}, {"executing_paranoia_level", "2"}};
  evaluator.Evaluate(**linked, request.data, settings, &result);
  EXPECT_EQ(Ids(**linked, result), (std::vector<std::string>{"920200", "920300"}));
  EXPECT_EQ(result.anomaly_score, 8);
}

TEST(TranslatorTest, UnsupportedRulesAreListedWithTheirReason) {
  const seclang::LoadedRuleset ruleset = FromText(R"conf(
SecRule IP:REPUT_BLOCK_FLAG "@eq 1" "id:910000,phase:2,block"
SecRule REMOTE_ADDR "@rbl sbl-xbl.spamhaus.org" "id:910130,phase:2,block"
SecRule ARGS "@rx x" "id:912100,phase:2,pass,setvar:ip.dos_counter=+1"
SecRule ARGS "@rx (?<=a)b" "id:920121,phase:2,block"
SecRule ARGS "@rx x" "id:1,phase:2,block"
)conf");
  absl::StatusOr<waf::v1::WafProgram> program = TranslateRuleset(ruleset);
  ASSERT_TRUE(program.ok()) << program.status();
  // 912100 runs without its setvar into IP, and says so.
  ASSERT_EQ(program->rules_size(), 2);
  EXPECT_EQ(program->rules(0).id(), "912100");
  ASSERT_EQ(program->adjusted_size(), 1);
  EXPECT_EQ(program->adjusted(0).id(), "912100");
  EXPECT_NE(program->adjusted(0).reason().find("setvar:ip.dos_counter left out"),
            std::string::npos);
  ASSERT_EQ(program->omitted_size(), 3);
  EXPECT_NE(program->omitted(0).reason().find("persistent collection IP"), std::string::npos);
  EXPECT_NE(program->omitted(1).reason().find("@rbl"), std::string::npos);
  EXPECT_EQ(program->omitted(2).id(), "920121");
  EXPECT_EQ(program->omitted(2).line(), 5u);
}

TEST(TranslatorTest, LookbehindsAndBackReferencesRunRewritten) {
  const seclang::LoadedRuleset ruleset = FromText(R"conf(
SecRule FILES_NAMES "@rx (?<!&amp);|=" "id:920120,phase:2,block,t:none,log"
SecRule ARGS "@rx (?i:\b(\w+)\b=\b\1\b)" "id:942130,phase:2,block,capture,t:none,log"
)conf");
  absl::StatusOr<waf::v1::WafProgram> program = TranslateRuleset(ruleset);
  ASSERT_TRUE(program.ok()) << program.status();
  EXPECT_EQ(program->omitted_size(), 0);
  ASSERT_EQ(program->rules_size(), 2);
  EXPECT_EQ(program->rules(0).conditions(0).operator_().name(), "rx");
  EXPECT_EQ(program->rules(1).conditions(0).operator_().name(), "rxWordBackref");
  ASSERT_EQ(program->adjusted_size(), 2);
  EXPECT_NE(program->adjusted(0).reason().find("lookbehind"), std::string::npos);
  EXPECT_NE(program->adjusted(1).reason().find("back-references"), std::string::npos);

  absl::StatusOr<std::shared_ptr<const waf::LinkedProgram>> linked =
      waf::LinkedProgram::Link(*program);
  ASSERT_TRUE(linked.ok()) << linked.status();
  waf::Evaluator evaluator;
  waf::EvaluationResult result;
  waf::EvaluationSettings settings;
  settings.detection_only = true;
  Request tautology("/?q=1%3D1");
  evaluator.Evaluate(**linked, tautology.data, settings, &result);
  EXPECT_EQ(Ids(**linked, result), std::vector<std::string>{"942130"});
  Request other("/?q=1%3D2");
  evaluator.Evaluate(**linked, other.data, settings, &result);
  EXPECT_TRUE(result.matches.empty());
}

}  // namespace
}  // namespace gatehouse::seclang_import
