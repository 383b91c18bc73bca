#include "seclang/parser.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::seclang {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

ConfigFile Parse(std::string_view text) {
  absl::StatusOr<ConfigFile> file = ParseSecLang(text, "t.conf");
  EXPECT_TRUE(file.ok()) << file.status();
  return file.ok() ? *file : ConfigFile{};
}

std::string ErrorOf(std::string_view text) {
  absl::StatusOr<ConfigFile> file = ParseSecLang(text, "t.conf");
  EXPECT_FALSE(file.ok());
  return std::string(file.status().message());
}

TEST(ParserTest, DirectiveKindsAndLocations) {
  const ConfigFile file = Parse(
      "SecRuleEngine DetectionOnly\n"
      "SecComponentSignature \"OWASP_CRS/3.3.4\"\n"
      "  SecMarker \"END-HOST-CHECK\"\n"
      "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=1\"\n"
      "SecRule REQUEST_URI \"@rx a\" \"id:1,phase:2,deny\"\n");
  ASSERT_EQ(file.directives.size(), 5u);
  const auto& engine = std::get<ConfigDirective>(file.directives[0].body);
  EXPECT_EQ(engine.name, "SecRuleEngine");
  EXPECT_THAT(engine.args, ElementsAre("DetectionOnly"));
  EXPECT_EQ(engine.arg_locations[0], (SourceLocation{"t.conf", 1, 15}));
  EXPECT_THAT(std::get<ConfigDirective>(file.directives[1].body).args,
              ElementsAre("OWASP_CRS/3.3.4"));
  EXPECT_EQ(std::get<SecMarker>(file.directives[2].body).name, "END-HOST-CHECK");
  EXPECT_EQ(file.directives[2].location(), (SourceLocation{"t.conf", 3, 3}));
  const auto& action = std::get<SecAction>(file.directives[3].body);
  EXPECT_EQ(action.actions.id, 900000);
  EXPECT_EQ(file.directives[3].rule_id(), 900000);
  const auto& rule = std::get<SecRule>(file.directives[4].body);
  EXPECT_EQ(rule.variables[0].collection, "REQUEST_URI");
  EXPECT_EQ(rule.op.name, "rx");
  EXPECT_EQ(rule.op.argument, "a");
  EXPECT_EQ(rule.op.argument_location, (SourceLocation{"t.conf", 5, 26}));
  EXPECT_EQ(rule.actions.disruptive->kind, Disruptive::kDeny);
  EXPECT_EQ(file.directives[4].name(), "SecRule");
}

TEST(ParserTest, DirectiveNamesAreCaseInsensitive) {
  const ConfigFile file = Parse("secruleengine On\nSECMARKER x\nsecrule ARGS a \"id:2\"\n");
  EXPECT_EQ(file.directives[0].name(), "SecRuleEngine");
  EXPECT_EQ(file.directives[1].name(), "SecMarker");
  EXPECT_EQ(file.directives[2].name(), "SecRule");
}

TEST(ParserTest, SecRuleWithoutActions) {
  // A rule's actions are optional; ModSecurity then uses SecDefaultAction's.
  const ConfigFile file = Parse("SecRule ARGS \"@rx a\" \"id:3,chain\"\nSecRule ARGS b\n");
  const auto& rule = std::get<SecRule>(file.directives[0].body);
  ASSERT_EQ(rule.chain.size(), 1u);
  EXPECT_TRUE(rule.chain[0].actions.raw.empty());
  EXPECT_EQ(rule.chain[0].op.argument, "b");
}

TEST(ParserTest, ChainsAttachToTheirHead) {
  // The shape of CRS 920180: a head and three links, each but the last with `chain`.
  const ConfigFile file = Parse(
      "SecRule REQUEST_PROTOCOL \"!@within HTTP/2 HTTP/2.0\" \\\n"
      "    \"id:920180,phase:2,block,t:none,chain\"\n"
      "    SecRule REQUEST_METHOD \"@streq POST\" \\\n"
      "        \"chain\"\n"
      "        SecRule &REQUEST_HEADERS:Content-Length \"@eq 0\" \\\n"
      "            \"chain\"\n"
      "            SecRule &REQUEST_HEADERS:Transfer-Encoding \"@eq 0\" \\\n"
      "                \"setvar:'tx.anomaly_score_pl1=+%{tx.warning_anomaly_score}'\"\n"
      "SecMarker after\n");
  ASSERT_EQ(file.directives.size(), 2u);
  const auto& head = std::get<SecRule>(file.directives[0].body);
  EXPECT_EQ(head.actions.id, 920180);
  ASSERT_EQ(head.chain.size(), 3u);
  EXPECT_EQ(head.chain[0].op.name, "streq");
  EXPECT_EQ(head.chain[0].location, (SourceLocation{"t.conf", 3, 5}));
  EXPECT_TRUE(head.chain[0].actions.chain);
  EXPECT_TRUE(head.chain[1].variables[0].count);
  EXPECT_FALSE(head.chain[2].actions.chain);
  EXPECT_EQ(head.chain[2].actions.setvars[0].name, "anomaly_score_pl1");
  EXPECT_TRUE(head.chain[2].chain.empty());
}

TEST(ParserTest, TwoChainsInARow) {
  const ConfigFile file = Parse(
      "SecRule ARGS \"@rx a\" \"id:1,chain\"\nSecRule REQUEST_URI b\n"
      "SecRule ARGS \"@rx a\" \"id:2,chain\"\nSecRule REQUEST_URI b\n");
  ASSERT_EQ(file.directives.size(), 2u);
  EXPECT_EQ(std::get<SecRule>(file.directives[1].body).chain.size(), 1u);
}

TEST(ParserTest, IncludeIsADirectiveNotFollowed) {
  const ConfigFile file = Parse("Include /etc/nginx/modsecurity.conf\nIncludeOptional x/*.conf\n");
  ASSERT_EQ(file.directives.size(), 2u);
  EXPECT_EQ(file.directives[0].name(), "Include");
  EXPECT_THAT(std::get<ConfigDirective>(file.directives[0].body).args,
              ElementsAre("/etc/nginx/modsecurity.conf"));
  EXPECT_EQ(file.directives[1].name(), "IncludeOptional");
}

TEST(ParserTest, ActionAndTargetArgumentsOfConfigDirectivesAreRead) {
  const ConfigFile file = Parse(
      "SecDefaultAction \"phase:2,log,auditlog,pass\"\n"
      "SecRuleUpdateTargetById 942100 \"!ARGS:foo|!REQUEST_COOKIES:/^bar/\"\n"
      "SecRuleUpdateActionById 942100 \"t:none,t:lowercase\"\n"
      "SecRuleRemoveById 920000 920100-920199\n"
      "SecResponseBodyMimeType text/plain text/html text/xml\n"
      "SecResponseBodyMimeTypesClear\n");
  const auto& default_action = std::get<ConfigDirective>(file.directives[0].body);
  ASSERT_TRUE(default_action.actions.has_value());
  EXPECT_EQ(default_action.actions->phase, 2);
  const auto& update_target = std::get<ConfigDirective>(file.directives[1].body);
  ASSERT_EQ(update_target.variables.size(), 2u);
  EXPECT_TRUE(update_target.variables[1].exclusion);
  const auto& update_action = std::get<ConfigDirective>(file.directives[2].body);
  EXPECT_THAT(update_action.actions->transformations, ElementsAre("lowercase"));
  EXPECT_THAT(std::get<ConfigDirective>(file.directives[3].body).args,
              ElementsAre("920000", "920100-920199"));
  EXPECT_EQ(std::get<ConfigDirective>(file.directives[4].body).args.size(), 3u);
}

TEST(ParserTest, ErrorsCarryFileLineColumnAndACaret) {
  EXPECT_EQ(ErrorOf("SecRule ARGS \"@rx a\" \\\n    \"id:1,\\\n    blok\"\n"),
            "1 error\n"
            "t.conf:3:5: error: unknown action \"blok\"\n"
            "    blok\"\n"
            "    ^~~~\n");
}

TEST(ParserTest, EveryErrorIsCollected) {
  const std::string error = ErrorOf(
      "SecRuleEngin On\n"
      "SecRule ARGS\n"
      "SecRule ARGSS \"@rx a\" \"id:1\"\n"
      "SecRule ARGS \"@rx a\" \"phase:2\"\n"
      "SecMarker\n");
  EXPECT_THAT(error, HasSubstr("5 errors"));
  EXPECT_THAT(error, HasSubstr("t.conf:1:1: error: unknown directive \"SecRuleEngin\""));
  EXPECT_THAT(error, HasSubstr("t.conf:2:1: error: SecRule takes 2 or 3 arguments, not 1"));
  EXPECT_THAT(error, HasSubstr("t.conf:3:9: error: unknown variable \"ARGSS\""));
  EXPECT_THAT(error, HasSubstr("t.conf:4:1: error: SecRule has no id action"));
  EXPECT_THAT(error, HasSubstr("t.conf:5:1: error: SecMarker takes 1 argument, not 0"));
}

TEST(ParserTest, ChainErrors) {
  EXPECT_THAT(
      ErrorOf("SecRule ARGS \"@rx a\" \"id:1,chain\"\n"),
      HasSubstr("t.conf:1:1: error: this rule has the chain action but no SecRule follows"));
  EXPECT_THAT(ErrorOf("SecRule ARGS \"@rx a\" \"id:1,chain\"\nSecMarker x\n"),
              HasSubstr("t.conf:2:1: error: the rule before has the chain action, so a SecRule "
                        "must follow it, not SecMarker"));
  EXPECT_THAT(ErrorOf("SecRule ARGS \"@rx a\" \"id:1,chain\"\nSecRule ARGS b \"phase:1,deny\"\n"),
              HasSubstr("a chained rule cannot have phase, deny: only the first rule"));
  // A rule with an id after a chain head starts a new rule (after the error).
  const ParseResult stray = ParseSecLangWithDiagnostics(
      "SecRule ARGS \"@rx a\" \"id:1,chain\"\nSecRule ARGS b \"id:2\"\n", "t.conf");
  ASSERT_EQ(stray.diagnostics.size(), 1u);
  EXPECT_THAT(stray.diagnostics[0].message, HasSubstr("has an id of its own"));
  EXPECT_EQ(stray.file.directives.size(), 2u);
  EXPECT_THAT(ErrorOf("SecAction \"id:1,chain\"\nSecRule ARGS b\n"),
              HasSubstr("a SecAction cannot start a chain"));
}

TEST(ParserTest, DefaultActionRules) {
  EXPECT_THAT(ErrorOf("SecDefaultAction \"log,pass\"\n"), HasSubstr("must name a phase"));
  EXPECT_THAT(ErrorOf("SecDefaultAction \"phase:1,log\"\n"), HasSubstr("must name a disruptive"));
  EXPECT_THAT(ErrorOf("SecDefaultAction \"phase:1,pass,id:4,msg:x\"\n"),
              HasSubstr("SecDefaultAction cannot have id, msg"));
}

TEST(ParserTest, ApacheSectionsAreRejected) {
  EXPECT_THAT(ErrorOf("<IfModule security2_module>\n</IfModule>\n"),
              HasSubstr("Apache configuration sections"));
}

TEST(ParserTest, EmptyFile) {
  EXPECT_TRUE(Parse("").directives.empty());
  EXPECT_TRUE(Parse("# only comments\n\n").directives.empty());
}

TEST(ParserTest, WithDiagnosticsReturnsWhatCouldBeRead) {
  const ParseResult result =
      ParseSecLangWithDiagnostics("SecMarker a\nBogus\nSecMarker b\n", "x.conf");
  EXPECT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.file.directives.size(), 2u);
  EXPECT_EQ(result.file.file_name, "x.conf");
}

}  // namespace
}  // namespace gatehouse::seclang
