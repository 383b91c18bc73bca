#include "modules/managed_waf/managed_waf.h"

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "modules/managed_waf/managed_waf.pb.h"
#include "modules/sdk/registry.h"
#include "modules/testing/module_harness.h"
#include "waf/waf_program.pb.h"

namespace gatehouse::modules {
namespace {

using testing::ModuleHarness;

// A miniature CRS: anomaly scoring over two categories and two paranoia levels, the zone's
// settings as TX, and the inbound threshold rule.
constexpr char kProgram[] = R"pb(
  program_version: 1
  ruleset_id: "owasp-crs"
  ruleset_version: "test 1"
  source_digest: "d1"
  pipelines {}
  pipelines { transformations: "urlDecodeUni" transformations: "lowercase" }
  initial_tx { name: "critical_anomaly_score" value: "5" }
  initial_tx { name: "inbound_anomaly_score_threshold" value: "5" }
  initial_tx { name: "paranoia_level" value: "1" }
  zone_variables { setting: "paranoia_level" tx_names: "paranoia_level" tx_names: "executing_paranoia_level" }
  zone_variables { setting: "score_threshold" tx_names: "inbound_anomaly_score_threshold" }
  rules {
    id: "942100" phase: 2 log: true disruptive: BLOCK paranoia_level: 1
    file: "REQUEST-942-APPLICATION-ATTACK-SQLI.conf" line: 45 severity: 2
    msg: "SQL Injection Attack Detected via libinjection"
    tags: "attack-sqli" tags: "paranoia-level/1"
    conditions {
      targets { collection: "ARGS" }
      pipeline: 1
      operator { name: "rx" argument: "union\\s+select" }
      setvars { name: "anomaly_score" operation: ADD value: "%{tx.critical_anomaly_score}" }
    }
  }
  rules {
    id: "942200" phase: 2 log: true disruptive: BLOCK paranoia_level: 1
    tags: "attack-sqli" tags: "paranoia-level/1"
    conditions {
      targets { collection: "ARGS" }
      pipeline: 1
      operator { name: "rx" argument: "select.+from" }
      setvars { name: "anomaly_score" operation: ADD value: "%{tx.critical_anomaly_score}" }
    }
  }
  rules {
    id: "932100" phase: 2 log: true disruptive: BLOCK paranoia_level: 1
    tags: "attack-rce" tags: "paranoia-level/1"
    conditions {
      targets { collection: "ARGS" }
      pipeline: 1
      operator { name: "rx" argument: ";\\s*cat\\s" }
      setvars { name: "anomaly_score" operation: ADD value: "%{tx.critical_anomaly_score}" }
    }
  }
  rules {
    id: "942300" phase: 2 log: true disruptive: BLOCK paranoia_level: 2
    tags: "attack-sqli" tags: "paranoia-level/2"
    conditions {
      targets { collection: "ARGS" }
      pipeline: 1
      operator { name: "rx" argument: "\\bor\\b" }
      setvars { name: "anomaly_score" operation: ADD value: "%{tx.critical_anomaly_score}" }
    }
  }
  rules {
    id: "949110" phase: 2 log: true disruptive: DENY tags: "anomaly-evaluation" severity: -1
    conditions {
      targets { collection: "TX" selector { kind: SELECTOR_KEY text: "ANOMALY_SCORE" } }
      operator { name: "ge" argument: "%{tx.inbound_anomaly_score_threshold}" runtime_macros: true }
    }
  }
  omitted { id: "910100" file: "REQUEST-910-IP-REPUTATION.conf" line: 60 reason: "@geoLookup" }
  adjusted { id: "942260" file: "REQUEST-942-APPLICATION-ATTACK-SQLI.conf" line: 900
             reason: "possessive quantifiers read as greedy ones" }
)pb";

class ManagedWafTest : public ::testing::Test {
 protected:
  void SetUp() override {
    waf::v1::WafProgram program;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kProgram, &program));
    google::protobuf::Any any;
    any.PackFrom(program);
    auto entry = sdk::ProductRegistry::Linked().LinkManagedRuleset(
        "owasp-crs", "test 1", "d1", any, nullptr, /*summarize=*/true);
    ASSERT_TRUE(entry.ok()) << entry.status();
    managed_.Add(*std::move(entry));
  }

  // A zone executing the ruleset with these overrides (JSON object text).
  static std::string Zone(const std::string& overrides, const std::string& before = "") {
    return before + R"({"phase": "http_request_firewall_managed", "rules": [
        {"id": "crs", "expression": "true", "action": "execute",
         "action_parameters": {"id": "owasp-crs", "overrides": )" +
           overrides + "}}]}";
  }

  std::string Errors(const std::string& rulesets) {
    return ModuleHarness::CompileErrors(rulesets, &managed_);
  }

  sdk::ManagedRulesetSet managed_;
};

// What `gatectl managed show` and zones' compiles read: every rule with its phase, level,
// category, severity and place, and what the import left out or adjusted, with why.
TEST_F(ManagedWafTest, TheSummaryListsRulesAndWhatWasLeftOut) {
  const sdk::ManagedRulesetSummary& summary = *managed_.Find("owasp-crs")->summary;
  EXPECT_EQ(summary.version, "test 1");
  EXPECT_EQ(summary.digest, "d1");
  ASSERT_EQ(summary.rules.size(), 5u);
  const sdk::ManagedRuleSummary& rule = summary.rules[0];
  EXPECT_EQ(rule.id, "942100");
  EXPECT_EQ(rule.phase, 2);
  EXPECT_EQ(rule.paranoia_level, 1);
  EXPECT_EQ(rule.category, "attack-sqli");
  EXPECT_EQ(rule.severity, "CRITICAL");
  EXPECT_EQ(rule.file, "REQUEST-942-APPLICATION-ATTACK-SQLI.conf");
  EXPECT_EQ(rule.line, 45);
  EXPECT_EQ(rule.message, "SQL Injection Attack Detected via libinjection");
  EXPECT_EQ(summary.rules[3].paranoia_level, 2);
  EXPECT_EQ(summary.rules[4].category, "");  // 949110: no attack-* tag
  EXPECT_EQ(summary.rules[4].severity, "");
  ASSERT_EQ(summary.omitted.size(), 1u);
  EXPECT_EQ(summary.omitted[0].id, "910100");
  EXPECT_EQ(summary.omitted[0].file, "REQUEST-910-IP-REPUTATION.conf");
  EXPECT_EQ(summary.omitted[0].line, 60);
  EXPECT_EQ(summary.omitted[0].reason, "@geoLookup");
  ASSERT_EQ(summary.adjusted.size(), 1u);
  EXPECT_EQ(summary.adjusted[0].id, "942260");
}

TEST_F(ManagedWafTest, BlocksAtTheThresholdWithTheBlockResponse) {
  ModuleHarness harness(Zone("{\"score_threshold\": 10}"), &managed_);
  ModuleHarness::Request attack;
  attack.target = "/?id=1%20UNION%20SELECT%20password%20FROM%20users";
  engine::RequestState& state = harness.Run(attack);
  ASSERT_TRUE(state.local_response().has_value());
  EXPECT_EQ(state.local_response()->status, 403);
  EXPECT_EQ(state.local_response()->body, "Access denied. Ray ID: 0123456789abcdef\n");
  EXPECT_EQ(state.deciding_rule()->id, "crs");
  ASSERT_EQ(state.managed_matches().size(), 1u);
  EXPECT_EQ(state.managed_matches()[0].ruleset, "owasp-crs");
  EXPECT_EQ(state.managed_matches()[0].rule_ids,
            (std::vector<std::string>{"942100", "942200", "949110"}));
  EXPECT_EQ(state.managed_matches()[0].score, 10);

  ModuleHarness::Request benign;
  benign.target = "/?q=hello";
  EXPECT_FALSE(harness.Run(benign).local_response().has_value());
  EXPECT_TRUE(harness.Run(benign).managed_matches().empty());
}

TEST_F(ManagedWafTest, DefaultsAndTheZoneSettings) {
  ModuleHarness harness(Zone("{}"), &managed_);
  const plan::CompiledRuleset* ruleset = harness.zone().Ruleset(plan::Phase::kFirewallManaged);
  ASSERT_NE(ruleset, nullptr);
  const auto& config = ruleset->rules[0].action_as<ExecuteConfig>();
  EXPECT_EQ(config.paranoia_level, 1u);
  EXPECT_EQ(config.score_threshold, 5);
  EXPECT_TRUE(config.block);
  EXPECT_EQ(config.settings.tx,
            (std::vector<std::pair<std::string, std::string>>{
                {"paranoia_level", "1"},
                {"executing_paranoia_level", "1"},
                {"inbound_anomaly_score_threshold", "5"}}));
  // 942300 is a paranoia level 2 rule.
  ASSERT_EQ(config.settings.modes.size(), 5u);
  EXPECT_EQ(config.settings.modes[3], waf::RuleMode::kDisabled);
  for (size_t i : {0, 1, 2, 4}) EXPECT_EQ(config.settings.modes[i], waf::RuleMode::kDefault);
  // The zone reads 128 KiB of bodies.
  EXPECT_EQ(harness.zone().inspect_body_bytes, kManagedInspectBodyBytes);
  EXPECT_EQ(harness.zone().managed_rulesets,
            (std::vector<std::pair<std::string, std::string>>{{"owasp-crs", "d1"}}));

  // Two matches score 10, over the default 5: refused, and 949110 says so.
  ModuleHarness::Request attack;
  attack.target = "/?id=1%20UNION%20SELECT%20password%20FROM%20users";
  engine::RequestState& state = harness.Run(attack);
  EXPECT_TRUE(state.local_response().has_value());
  ASSERT_EQ(state.managed_matches().size(), 1u);
  EXPECT_EQ(state.managed_matches()[0].rule_ids,
            (std::vector<std::string>{"942100", "942200", "949110"}));
  ASSERT_EQ(state.matched().size(), 1u);
  EXPECT_EQ(state.matched()[0]->id, "crs");
}

TEST_F(ManagedWafTest, OverridesBecomeRuleModes) {
  ModuleHarness harness(Zone(R"({"paranoia_level": 2, "score_threshold": 25,
      "categories": [{"category": "attack-sqli", "enabled": false}],
      "rules": [{"id": "942200", "enabled": true, "action": "log"},
                {"id": "932100", "action": "block"}]})"),
                        &managed_);
  const auto& config = harness.zone()
                           .Ruleset(plan::Phase::kFirewallManaged)
                           ->rules[0]
                           .action_as<ExecuteConfig>();
  EXPECT_EQ(config.settings.modes,
            (std::vector<waf::RuleMode>{waf::RuleMode::kDisabled, waf::RuleMode::kLogOnly,
                                        waf::RuleMode::kBlock, waf::RuleMode::kDisabled,
                                        waf::RuleMode::kDefault}));
  // 932100 refuses on its own match.
  ModuleHarness::Request rce;
  rce.target = "/?f=x%3B%20cat%20/etc/passwd";
  engine::RequestState& state = harness.Run(rce);
  ASSERT_TRUE(state.local_response().has_value());
  EXPECT_EQ(state.managed_matches()[0].rule_ids, std::vector<std::string>{"932100"});
  // 942200 logs and scores nothing.
  ModuleHarness::Request sqli;
  sqli.target = "/?id=1%20UNION%20SELECT%20password%20FROM%20users";
  engine::RequestState& logged = harness.Run(sqli);
  EXPECT_FALSE(logged.local_response().has_value());
  EXPECT_EQ(logged.managed_matches()[0].rule_ids, std::vector<std::string>{"942200"});
  EXPECT_EQ(logged.managed_matches()[0].score, 0);
}

TEST_F(ManagedWafTest, LogActionNeverRefuses) {
  ModuleHarness harness(Zone(R"({"score_threshold": 5, "action": "log"})"), &managed_);
  ModuleHarness::Request attack;
  attack.target = "/?id=1%20UNION%20SELECT%20password%20FROM%20users";
  engine::RequestState& state = harness.Run(attack);
  EXPECT_FALSE(state.local_response().has_value());
  EXPECT_EQ(state.managed_matches()[0].rule_ids,
            (std::vector<std::string>{"942100", "942200", "949110"}));
}

TEST_F(ManagedWafTest, TheBodyPrefixIsInspected) {
  ModuleHarness harness(Zone("{\"score_threshold\": 5}"), &managed_);
  ModuleHarness::Request post;
  post.method = "POST";
  post.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  post.body = "id=1+union+select+2";
  EXPECT_TRUE(harness.Run(post).local_response().has_value());
}

TEST_F(ManagedWafTest, SkipRulesExemptRequests) {
  const std::string skip_product = R"json({"phase": "http_request_firewall_custom", "rules": [
      {"id": "exempt", "expression": "starts_with(http.request.uri.path, \"/admin\")",
       "action": "skip", "action_parameters": {"products": ["managed_waf"]}}]},)json";
  const std::string skip_phase = R"json({"phase": "http_request_firewall_custom", "rules": [
      {"id": "exempt", "expression": "starts_with(http.request.uri.path, \"/admin\")",
       "action": "skip", "action_parameters": {"phases": ["http_request_firewall_managed"]}}]},)json";
  for (const std::string& skip : {skip_product, skip_phase}) {
    ModuleHarness harness(Zone("{\"score_threshold\": 5}", skip), &managed_);
    ModuleHarness::Request attack;
    attack.target = "/admin?id=1%20UNION%20SELECT%20password%20FROM%20users";
    engine::RequestState& exempt = harness.Run(attack);
    EXPECT_FALSE(exempt.local_response().has_value()) << skip;
    EXPECT_TRUE(exempt.managed_matches().empty());
    attack.target = "/shop?id=1%20UNION%20SELECT%20password%20FROM%20users";
    EXPECT_TRUE(harness.Run(attack).local_response().has_value()) << skip;
  }
}

// A skip naming managed rule ids turns off those rules for the requests it matches: the others
// still run and score, and the zone's own modes are left as they were.
TEST_F(ManagedWafTest, SkipRulesByIdMaskThemPerRequest) {
  const std::string skip = R"json({"phase": "http_request_firewall_custom", "rules": [
      {"id": "search", "expression": "starts_with(http.request.uri.path, \"/search\")",
       "action": "skip", "action_parameters": {"rules": {"owasp-crs": ["942100"]}}},
      {"id": "reports", "expression": "starts_with(http.request.uri.path, \"/reports\")",
       "action": "skip",
       "action_parameters": {"rules": {"owasp-crs": ["942100", "942200"]}}}]},)json";
  ModuleHarness harness(Zone("{\"score_threshold\": 10}", skip), &managed_);
  const std::string query = "?id=1%20UNION%20SELECT%20password%20FROM%20users";
  ModuleHarness::Request attack;
  // 942100 is off: 942200 alone scores 5, under the threshold.
  attack.target = "/search" + query;
  engine::RequestState& search = harness.Run(attack);
  EXPECT_FALSE(search.local_response().has_value());
  ASSERT_EQ(search.managed_matches().size(), 1u);
  EXPECT_EQ(search.managed_matches()[0].rule_ids, std::vector<std::string>{"942200"});
  EXPECT_EQ(search.managed_matches()[0].score, 5);
  // Both off: nothing matches.
  attack.target = "/reports" + query;
  engine::RequestState& reports = harness.Run(attack);
  EXPECT_FALSE(reports.local_response().has_value());
  EXPECT_TRUE(reports.managed_matches().empty());
  // Elsewhere, and for the next request, every rule runs again.
  attack.target = "/shop" + query;
  engine::RequestState& shop = harness.Run(attack);
  ASSERT_TRUE(shop.local_response().has_value());
  EXPECT_EQ(shop.managed_matches()[0].rule_ids,
            (std::vector<std::string>{"942100", "942200", "949110"}));
  const auto& config = harness.zone()
                           .Ruleset(plan::Phase::kFirewallManaged)
                           ->rules[0]
                           .action_as<ExecuteConfig>();
  // 942300 is above paranoia level 1.
  EXPECT_EQ(config.settings.modes,
            (std::vector<waf::RuleMode>{waf::RuleMode::kDefault, waf::RuleMode::kDefault,
                                        waf::RuleMode::kDefault, waf::RuleMode::kDisabled,
                                        waf::RuleMode::kDefault}));
}

TEST_F(ManagedWafTest, SkipRulesByIdAreChecked) {
  const auto skip = [](const std::string& rules) {
    return R"json({"phase": "http_request_firewall_custom", "rules": [
        {"id": "s", "expression": "true", "action": "skip",
         "action_parameters": {"rules": )json" + rules + "}}]},";
  };
  const std::string prefix = "rulesets[0].rules[0].action_parameters.";
  const std::string errors = Errors(
      Zone("{}", skip(R"({"owasp-crs": ["942100", "999999", 942200, "942100"], "crs-4": ["1"]})")));
  for (const std::string& expected : {
           prefix + "rules.crs-4: error: unknown managed ruleset \"crs-4\"; available: owasp-crs",
           prefix + "rules.owasp-crs[1]: error: unknown rule id \"999999\" in owasp-crs (test 1)",
           prefix + "rules.owasp-crs[2]: error: a rule id is a string",
           prefix + "rules.owasp-crs[3]: error: rule \"942100\" is named twice",
       }) {
    EXPECT_NE(errors.find(expected), std::string::npos) << expected << "\nnot in:\n" << errors;
  }
  EXPECT_NE(Errors(Zone("{}", skip(R"({"owasp-crs": []})"))).find("names no rule"),
            std::string::npos);
  EXPECT_EQ(Errors(Zone("{}", skip(R"({"owasp-crs": ["942100", "949110"]})"))), "");
}

TEST_F(ManagedWafTest, CompileErrorsHaveJsonPaths) {
  const std::string prefix = "rulesets[0].rules[0].action_parameters.";
  EXPECT_NE(Errors(R"({"phase": "http_request_firewall_managed", "rules": [
      {"id": "crs", "expression": "true", "action": "execute",
       "action_parameters": {"id": "owasp-crs-4"}}]})")
                .find(prefix + "id: error: unknown managed ruleset \"owasp-crs-4\"; available: owasp-crs"),
            std::string::npos);
  const std::string errors = Errors(Zone(R"({"paranoia_level": 5, "score_threshold": 0,
      "action": "deny",
      "categories": [{"category": "attack-xyz", "enabled": false}],
      "rules": [{"id": "999999", "enabled": false}, {"id": "942100", "action": "drop"},
                {"id": "942200", "enabled": false, "action": "log"}]})"));
  for (const std::string& expected : {
           prefix + "overrides.paranoia_level: error: paranoia_level is 1 to 4, not 5",
           prefix + "overrides.score_threshold: error: score_threshold is above 0",
           prefix + "overrides.action: error: action is \"block\" or \"log\", not \"deny\"",
           prefix + "overrides.categories[0].category: error: unknown category \"attack-xyz\" in "
                    "owasp-crs; its categories are attack-rce, attack-sqli",
           prefix + "overrides.rules[0].id: error: unknown rule id \"999999\" in owasp-crs",
           prefix + "overrides.rules[1].action: error: action is \"block\", \"log\" or \"default\"",
           prefix + "overrides.rules[2].action: error: a disabled rule takes no action",
       }) {
    EXPECT_NE(errors.find(expected), std::string::npos) << expected << "\nnot in:\n" << errors;
  }
  // Without managed rulesets (a control plane run with --no-managed-rulesets).
  EXPECT_NE(ModuleHarness::CompileErrors(Zone("{}"))
                .find("unknown managed ruleset \"owasp-crs\"; available: none"),
            std::string::npos);
}

TEST_F(ManagedWafTest, LinkWithoutTheRulesetNamesIt) {
  // The compiled form linked where the snapshot carries no ruleset: the zone is rejected, with
  // the reason.
  const sdk::ProductRegistry& products = sdk::ProductRegistry::Linked();
  const sdk::ProductRegistry::Action* execute = products.FindAction("execute");
  ASSERT_NE(execute, nullptr);
  managed_waf::v1::CompiledExecute compiled;
  compiled.set_ruleset_id("owasp-crs");
  compiled.set_paranoia_level(1);
  compiled.set_score_threshold(40);
  google::protobuf::Any any;
  any.PackFrom(compiled);
  struct NoRulesets : sdk::ActionLinkContext {
    absl::StatusOr<sdk::ValueSource> LinkValue(const sdk::v1::CompiledValue&) override {
      return absl::UnimplementedError("");
    }
    size_t origin_count() const override { return 1; }
    std::shared_ptr<const sdk::LinkedManagedRuleset> FindManagedRuleset(
        std::string_view) override {
      return nullptr;
    }
    std::string ManagedRulesetIds() const override { return "none"; }
  } context;
  auto linked = execute->action->link(any, context);
  ASSERT_FALSE(linked.ok());
  EXPECT_NE(linked.status().message().find(
                "managed ruleset \"owasp-crs\" is not in this snapshot (it carries: none)"),
            std::string::npos)
      << linked.status();
}

}  // namespace
}  // namespace gatehouse::modules
