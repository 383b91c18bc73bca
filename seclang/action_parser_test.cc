#include "seclang/action_parser.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::seclang {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Actions Parse(std::string_view text) {
  absl::StatusOr<Actions> actions = ParseActions(text);
  EXPECT_TRUE(actions.ok()) << actions.status();
  return actions.ok() ? *actions : Actions{};
}

std::string ErrorOf(std::string_view text) {
  absl::StatusOr<Actions> actions = ParseActions(text);
  EXPECT_FALSE(actions.ok());
  return std::string(actions.status().message());
}

// CRS 920460's action list as the configuration reader hands it over (continuations joined).
constexpr std::string_view k920460 =
    "id:920460,    phase:2,    block,    capture,    t:none,t:urlDecodeUni,t:htmlEntityDecode,"
    "t:lowercase,    log,    msg:'Abnormal character escapes in request',    logdata:'Matched "
    "Data: %{TX.0} found within %{MATCHED_VAR_NAME}: %{MATCHED_VAR}',    "
    "tag:'application-multi',    tag:'language-multi',    tag:'platform-multi',    "
    "tag:'attack-protocol',    tag:'paranoia-level/4',    tag:'OWASP_CRS',    "
    "tag:'capec/1000/153/267',    ctl:auditLogParts=+E,    ver:'OWASP_CRS/3.3.4',    "
    "severity:'CRITICAL',    setvar:'tx.http_violation_score=+%{tx.critical_anomaly_score}',    "
    "setvar:'tx.anomaly_score_pl4=+%{tx.critical_anomaly_score}'";

TEST(ActionParserTest, ACrsRuleIsReadIntoTypedFields) {
  const Actions a = Parse(k920460);
  EXPECT_EQ(a.id, 920460);
  EXPECT_EQ(a.phase, 2);
  ASSERT_TRUE(a.disruptive.has_value());
  EXPECT_EQ(a.disruptive->kind, Disruptive::kBlock);
  EXPECT_TRUE(a.capture);
  EXPECT_TRUE(a.transformations_reset);
  EXPECT_THAT(a.transformations, ElementsAre("urlDecodeUni", "htmlEntityDecode", "lowercase"));
  EXPECT_EQ(a.log, true);
  EXPECT_EQ(a.msg, "Abnormal character escapes in request");
  EXPECT_EQ(a.logdata, "Matched Data: %{TX.0} found within %{MATCHED_VAR_NAME}: %{MATCHED_VAR}");
  EXPECT_THAT(a.tags, ElementsAre("application-multi", "language-multi", "platform-multi",
                                  "attack-protocol", "paranoia-level/4", "OWASP_CRS",
                                  "capec/1000/153/267"));
  ASSERT_EQ(a.ctls.size(), 1u);
  EXPECT_EQ(a.ctls[0].option, CtlOption::kAuditLogParts);
  EXPECT_EQ(a.ctls[0].value, "+E");
  EXPECT_EQ(a.ver, "OWASP_CRS/3.3.4");
  EXPECT_EQ(a.severity, 2);
  ASSERT_EQ(a.setvars.size(), 2u);
  EXPECT_EQ(a.setvars[0].collection, "TX");
  EXPECT_EQ(a.setvars[0].name, "http_violation_score");
  EXPECT_EQ(a.setvars[0].operation, SetVarOperation::kAdd);
  EXPECT_EQ(a.setvars[0].value, "%{tx.critical_anomaly_score}");
  EXPECT_EQ(a.raw.size(), 23u);
  EXPECT_EQ(a.raw[0].name, "id");
  EXPECT_EQ(a.raw[0].location.column, 1);
  EXPECT_EQ(a.raw[1].location.column, 15);
}

TEST(ActionParserTest, QuotedValuesHoldCommasAndUnescapeQuoteAndBackslash) {
  // CRS 920430's msg and 920?? "prefix \'UP\'" (after the configuration reader).
  const Actions a = Parse(R"(msg:'a, b|c d',logdata:'prefix \'UP\' to',tag:'x\\y')");
  EXPECT_EQ(a.msg, "a, b|c d");
  EXPECT_EQ(a.logdata, "prefix 'UP' to");
  EXPECT_THAT(a.tags, ElementsAre(R"(x\y)"));
}

TEST(ActionParserTest, OtherBackslashesInQuotedValuesAreErrors) {
  // ModSecurity: "Invalid quoted pair". To keep a backslash, write \\ (\\\\ inside a rule's
  // double-quoted argument).
  EXPECT_THAT(ErrorOf(R"(msg:'a\d')"),
              HasSubstr("<actions>:1:7: error: invalid escape in a single-quoted value"));
}

TEST(ActionParserTest, UnquotedValuesEndAtCommaPipeOrSpace) {
  const Actions a = Parse("id:1 ,phase:request|pass, t:none,t:lowercase");
  EXPECT_EQ(a.id, 1);
  EXPECT_EQ(a.phase, 2);
  EXPECT_THAT(a.transformations, ElementsAre("lowercase"));
}

TEST(ActionParserTest, QuotedNumbersAndNamedSeverities) {
  // /etc/nginx/modsecurity.conf writes id:'200000' and severity:2.
  const Actions a = Parse("id:'200000',severity:2,phase:'1',maturity:'9',accuracy:7");
  EXPECT_EQ(a.id, 200000);
  EXPECT_EQ(a.severity, 2);
  EXPECT_EQ(a.phase, 1);
  EXPECT_EQ(a.maturity, 9);
  EXPECT_EQ(a.accuracy, 7);
  EXPECT_EQ(Parse("severity:warning").severity, 4);
  EXPECT_EQ(Parse("severity:'NOTICE'").severity, 5);
  EXPECT_EQ(Parse("phase:response").phase, 4);
  EXPECT_EQ(Parse("phase:logging").phase, 5);
}

TEST(ActionParserTest, TransformationNoneResetsEverythingBefore) {
  const Actions a = Parse("t:lowercase,t:none,t:URLDECODEUNI,t:utf8toUnicode");
  EXPECT_TRUE(a.transformations_reset);
  EXPECT_THAT(a.transformations, ElementsAre("urlDecodeUni", "utf8toUnicode"));
  const Actions inherits = Parse("t:lowercase");
  EXPECT_FALSE(inherits.transformations_reset);
}

TEST(ActionParserTest, SetVarForms) {
  const Actions a = Parse(
      "setvar:tx.a=1,setvar:'tx.b=+%{tx.c}',setvar:tx.d=-5,setvar:!ip.e,setvar:TX.f,"
      "setvar:'tx.%{rule.id}-OWASP_CRS/X-%{matched_var_name}=%{tx.0}'");
  ASSERT_EQ(a.setvars.size(), 6u);
  EXPECT_EQ(a.setvars[0].operation, SetVarOperation::kSet);
  EXPECT_EQ(a.setvars[0].value, "1");
  EXPECT_EQ(a.setvars[1].operation, SetVarOperation::kAdd);
  EXPECT_EQ(a.setvars[1].value, "%{tx.c}");
  EXPECT_EQ(a.setvars[2].operation, SetVarOperation::kSubtract);
  EXPECT_EQ(a.setvars[2].value, "5");
  EXPECT_EQ(a.setvars[3].operation, SetVarOperation::kDelete);
  EXPECT_EQ(a.setvars[3].collection, "IP");
  EXPECT_EQ(a.setvars[3].name, "e");
  EXPECT_EQ(a.setvars[4].collection, "TX");
  EXPECT_EQ(a.setvars[4].value, "1");  // no value: ModSecurity sets 1
  EXPECT_EQ(a.setvars[5].name, "%{rule.id}-OWASP_CRS/X-%{matched_var_name}");
  EXPECT_EQ(a.setvars[5].value, "%{tx.0}");
}

TEST(ActionParserTest, CtlOptionsAndRemovedTargets) {
  // CRS 903.9002 (WordPress): ctl:ruleRemoveTargetById=931130;ARGS:url, and by tag.
  const Actions a = Parse(
      "ctl:ruleRemoveTargetById=931130;ARGS:url,ctl:ruleRemoveTargetByTag=attack-sqli;"
      "REQUEST_COOKIES:/^wp-/,ctl:ruleRemoveById=920000-920999,ctl:ruleEngine=DetectionOnly,"
      "ctl:requestBodyProcessor=JSON,ctl:forceRequestBodyVariable=On");
  ASSERT_EQ(a.ctls.size(), 6u);
  EXPECT_EQ(a.ctls[0].option, CtlOption::kRuleRemoveTargetById);
  EXPECT_EQ(a.ctls[0].rule_selector, "931130");
  ASSERT_TRUE(a.ctls[0].target.has_value());
  EXPECT_EQ(a.ctls[0].target->collection, "ARGS");
  EXPECT_EQ(a.ctls[0].target->selector, (Selector{SelectorKind::kKey, "url"}));
  EXPECT_EQ(a.ctls[1].rule_selector, "attack-sqli");
  EXPECT_EQ(a.ctls[1].target->selector, (Selector{SelectorKind::kRegex, "^wp-"}));
  EXPECT_EQ(a.ctls[2].rule_selector, "920000-920999");
  EXPECT_FALSE(a.ctls[2].target.has_value());
  EXPECT_EQ(a.ctls[3].value, "DetectionOnly");
  EXPECT_EQ(a.ctls[4].option, CtlOption::kRequestBodyProcessor);
  EXPECT_EQ(a.ctls[5].option, CtlOption::kForceRequestBodyVariable);
}

TEST(ActionParserTest, DisruptiveActionsLastOneWins) {
  EXPECT_EQ(Parse("deny,pass").disruptive->kind, Disruptive::kPass);
  EXPECT_EQ(Parse("redirect:'http://x/?a=1'").disruptive->argument, "http://x/?a=1");
  EXPECT_EQ(Parse("allow:phase").disruptive->kind, Disruptive::kAllow);
  EXPECT_EQ(Parse("drop").disruptive->kind, Disruptive::kDrop);
  EXPECT_EQ(Parse("status:403,deny").status, 403);
}

TEST(ActionParserTest, FlowAndLoggingActions) {
  const Actions a = Parse("chain,skipAfter:END-REQUEST-910-IP-REPUTATION,nolog,noauditlog,multiMatch");
  EXPECT_TRUE(a.chain);
  EXPECT_EQ(a.skip_after, "END-REQUEST-910-IP-REPUTATION");
  EXPECT_EQ(a.log, false);
  EXPECT_EQ(a.audit_log, false);
  EXPECT_TRUE(a.multi_match);
  EXPECT_EQ(Parse("skip:2").skip, 2);
}

TEST(ActionParserTest, PersistentCollectionsAndEnvironment) {
  // CRS 901321 and 912 (DoS protection).
  const Actions a = Parse(
      "initcol:global=global,initcol:ip=%{remote_addr}_%{tx.ua_hash},"
      "expirevar:ip.dos_burst_counter=%{tx.dos_burst_time_slice},setenv:a=b,setenv:c");
  ASSERT_EQ(a.initcols.size(), 2u);
  EXPECT_EQ(a.initcols[1].collection, "IP");
  EXPECT_EQ(a.initcols[1].key, "%{remote_addr}_%{tx.ua_hash}");
  ASSERT_EQ(a.expirevars.size(), 1u);
  EXPECT_EQ(a.expirevars[0].collection, "IP");
  EXPECT_EQ(a.expirevars[0].name, "dos_burst_counter");
  EXPECT_EQ(a.expirevars[0].seconds, "%{tx.dos_burst_time_slice}");
  ASSERT_EQ(a.setenvs.size(), 2u);
  EXPECT_EQ(a.setenvs[1].value, "1");
}

TEST(ActionParserTest, RarelyUsedActionsAreKeptRaw) {
  const Actions a = Parse("sanitiseMatched,sanitiseArg:password,xmlns:x=http://x,exec:/bin/true");
  ASSERT_EQ(a.raw.size(), 4u);
  EXPECT_EQ(a.raw[1].kind, ActionKind::kSanitiseArg);
  EXPECT_EQ(a.raw[1].value, "password");
  EXPECT_EQ(a.raw[2].value, "x=http://x");
}

TEST(ActionParserTest, ActionNamesAreCaseInsensitive) {
  const Actions a = Parse("ID:5,MultiMatch,SKIPAFTER:x");
  EXPECT_EQ(a.id, 5);
  EXPECT_EQ(a.raw[1].name, "multiMatch");
  EXPECT_EQ(a.raw[2].name, "skipAfter");
}

TEST(ActionParserTest, EmptyListIsNoActions) {
  EXPECT_THAT(Parse("").raw, IsEmpty());
  EXPECT_THAT(Parse("  ").raw, IsEmpty());
}

TEST(ActionParserTest, ErrorsCarryTheirColumn) {
  EXPECT_THAT(ErrorOf("id:1,blok"),
              HasSubstr("<actions>:1:6: error: unknown action \"blok\"\nid:1,blok\n     ^~~~\n"));
  EXPECT_THAT(ErrorOf("id:x"), HasSubstr("1:4: error: a rule id must be a whole number"));
  EXPECT_THAT(ErrorOf("id:0"), HasSubstr("a rule id must be a whole number from 1"));
  EXPECT_THAT(ErrorOf("phase:6"), HasSubstr("a phase is 1 to 5"));
  EXPECT_THAT(ErrorOf("severity:LOUD"), HasSubstr("a severity is 0 to 7"));
  EXPECT_THAT(ErrorOf("t:urlDecodeUnii"), HasSubstr("unknown transformation \"urlDecodeUnii\""));
  EXPECT_THAT(ErrorOf("ctl:ruleRemoveTarget=1"), HasSubstr("unknown ctl option"));
  EXPECT_THAT(ErrorOf("ctl:ruleRemoveTargetById=1"), HasSubstr("takes RULE;TARGET"));
  EXPECT_THAT(ErrorOf("ctl:ruleRemoveTargetById=1;NOPE"), HasSubstr("unknown variable \"NOPE\""));
  EXPECT_THAT(ErrorOf("setvar:score=1"), HasSubstr("expected COLLECTION.NAME"));
  EXPECT_THAT(ErrorOf("setvar:xt.score=1"), HasSubstr("unknown collection \"xt\""));
  EXPECT_THAT(ErrorOf("setvar:!tx.a=1"), HasSubstr("deletes a variable: no '='"));
  EXPECT_THAT(ErrorOf("msg"), HasSubstr("the action msg needs a value"));
  EXPECT_THAT(ErrorOf("block:1"), HasSubstr("the action block takes no value"));
  EXPECT_THAT(ErrorOf("msg:'unterminated"), HasSubstr("missing closing quote"));
  EXPECT_THAT(ErrorOf("nolog pass"), HasSubstr("unexpected 'p' after \"nolog\""));
  EXPECT_THAT(ErrorOf("initcol:tx=1"), HasSubstr("initcol opens IP, SESSION"));
  EXPECT_THAT(ErrorOf("allow:everything"), HasSubstr("allow takes no value, \"phase\""));
  // Every error, not only the first.
  EXPECT_THAT(ErrorOf("foo,bar,id:1"), HasSubstr("2 errors"));
}

TEST(ActionParserTest, Tables) {
  EXPECT_EQ(ActionByName("SANITISEMATCHEDBYTES"), ActionKind::kSanitiseMatchedBytes);
  EXPECT_EQ(ActionName(ActionKind::kTransformation), "t");
  EXPECT_EQ(CtlOptionByName("ruleremovetargetbyid"), CtlOption::kRuleRemoveTargetById);
  EXPECT_EQ(SeverityByName("emergency"), 0);
  EXPECT_EQ(SeverityName(7), "DEBUG");
  EXPECT_EQ(SeverityName(8), "");
}

}  // namespace
}  // namespace gatehouse::seclang
