#include "api/managed_ruleset_info.h"

#include <memory>

#include "gtest/gtest.h"

namespace gatehouse::api {
namespace {

sdk::ManagedRulesetSet Rulesets() {
  auto summary = std::make_shared<sdk::ManagedRulesetSummary>();
  summary->id = "owasp-crs";
  summary->version = "OWASP_CRS/3.3.4 (test)";
  summary->digest = "abc";
  sdk::ManagedRuleSummary init;
  init.id = "901001";
  init.phase = 1;
  sdk::ManagedRuleSummary sqli;
  sqli.id = "942100";
  sqli.phase = 2;
  sqli.paranoia_level = 1;
  sqli.tags = {"attack-sqli", "paranoia-level/1"};
  sqli.category = "attack-sqli";
  sqli.severity = "CRITICAL";
  sqli.file = "REQUEST-942-APPLICATION-ATTACK-SQLI.conf";
  sqli.line = 45;
  sqli.message = "SQL Injection Attack Detected via libinjection";
  sdk::ManagedRuleSummary tautology = sqli;
  tautology.id = "942130";
  tautology.paranoia_level = 2;
  summary->rules = {init, sqli, tautology};
  summary->omitted = {{"910100", "REQUEST-910-IP-REPUTATION.conf", 60, "uses @geoLookup"}};
  summary->adjusted = {{"942260", "REQUEST-942-APPLICATION-ATTACK-SQLI.conf", 900, "greedy"}};
  sdk::ManagedRulesetSet set;
  set.Add({"owasp-crs", summary->version, summary->digest, nullptr, summary});
  return set;
}

TEST(ManagedRulesetInfoTest, ListsEveryRulesetWithItsCounts) {
  v1::ListManagedRulesetsResponse response;
  ListManagedRulesets(Rulesets(), &response);
  ASSERT_EQ(response.rulesets_size(), 1);
  const v1::ManagedRulesetInfo& info = response.rulesets(0);
  EXPECT_EQ(info.id(), "owasp-crs");
  EXPECT_EQ(info.version(), "OWASP_CRS/3.3.4 (test)");
  EXPECT_EQ(info.digest(), "abc");
  EXPECT_EQ(info.rule_count(), 3u);
  EXPECT_EQ(info.omitted_count(), 1u);
  EXPECT_EQ(info.adjusted_count(), 1u);
  v1::ListManagedRulesetsResponse none;
  ListManagedRulesets(sdk::ManagedRulesetSet(), &none);
  EXPECT_EQ(none.rulesets_size(), 0);
}

TEST(ManagedRulesetInfoTest, DescribesRulesAndWhatWasLeftOut) {
  v1::GetManagedRulesetResponse response;
  ASSERT_TRUE(DescribeManagedRuleset(Rulesets(), "owasp-crs", 0, &response).ok());
  EXPECT_EQ(response.ruleset().id(), "owasp-crs");
  ASSERT_EQ(response.rules_size(), 3);
  const v1::ManagedRule& rule = response.rules(1);
  EXPECT_EQ(rule.id(), "942100");
  EXPECT_EQ(rule.phase(), 2u);
  EXPECT_EQ(rule.paranoia_level(), 1u);
  EXPECT_EQ(rule.category(), "attack-sqli");
  EXPECT_EQ(rule.severity(), "CRITICAL");
  EXPECT_EQ(rule.file(), "REQUEST-942-APPLICATION-ATTACK-SQLI.conf");
  EXPECT_EQ(rule.line(), 45u);
  EXPECT_EQ(rule.message(), "SQL Injection Attack Detected via libinjection");
  ASSERT_EQ(rule.tags_size(), 2);
  ASSERT_EQ(response.omitted_size(), 1);
  EXPECT_EQ(response.omitted(0).id(), "910100");
  EXPECT_EQ(response.omitted(0).file(), "REQUEST-910-IP-REPUTATION.conf");
  EXPECT_EQ(response.omitted(0).line(), 60u);
  EXPECT_EQ(response.omitted(0).reason(), "uses @geoLookup");
  ASSERT_EQ(response.adjusted_size(), 1);
  EXPECT_EQ(response.adjusted(0).id(), "942260");
}

TEST(ManagedRulesetInfoTest, AParanoiaLevelListsTheRulesThatRunThere) {
  v1::GetManagedRulesetResponse level1;
  ASSERT_TRUE(DescribeManagedRuleset(Rulesets(), "owasp-crs", 1, &level1).ok());
  EXPECT_EQ(level1.paranoia_level(), 1u);
  ASSERT_EQ(level1.rules_size(), 2);  // 901001 (every level) and 942100; not 942130 (level 2)
  EXPECT_EQ(level1.rules(0).id(), "901001");
  EXPECT_EQ(level1.rules(1).id(), "942100");
  EXPECT_EQ(level1.omitted_size(), 1);  // what was left out is listed at every level
  v1::GetManagedRulesetResponse level2;
  ASSERT_TRUE(DescribeManagedRuleset(Rulesets(), "owasp-crs", 2, &level2).ok());
  EXPECT_EQ(level2.rules_size(), 3);
}

TEST(ManagedRulesetInfoTest, UnknownRulesetsAndLevelsAreErrors) {
  v1::GetManagedRulesetResponse response;
  const absl::Status unknown = DescribeManagedRuleset(Rulesets(), "crs-4", 0, &response);
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.message(), "unknown managed ruleset \"crs-4\"; available: owasp-crs");
  EXPECT_EQ(DescribeManagedRuleset(sdk::ManagedRulesetSet(), "owasp-crs", 0, &response).message(),
            "unknown managed ruleset \"owasp-crs\"; available: none");
  EXPECT_EQ(DescribeManagedRuleset(Rulesets(), "owasp-crs", 5, &response).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gatehouse::api
