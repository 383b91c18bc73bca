#include "waf/evaluator.h"

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "absl/strings/str_cat.h"
#include "rules/strings.h"

namespace gatehouse::waf {
namespace {

std::shared_ptr<const LinkedProgram> Link(const std::string& text) {
  v1::WafProgram program;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &program)) << text;
  program.set_program_version(kWafProgramVersion);
  absl::StatusOr<std::shared_ptr<const LinkedProgram>> linked = LinkedProgram::Link(program);
  EXPECT_TRUE(linked.ok()) << linked.status();
  return linked.ok() ? *linked : nullptr;
}

struct TestRequest {
  rules::HeaderList headers;
  rules::RequestData data;
  explicit TestRequest(std::string_view target, rules::HeaderList list = {},
                       std::string_view method = "GET", std::string_view body = "")
      : headers(std::move(list)) {
    data.method = method;
    data.raw_target = target;
    data.headers = &headers;
    data.body = body;
    data.body_size = body.size();
  }
};

std::vector<std::string> LoggedIds(const LinkedProgram& program, const EvaluationResult& result) {
  std::vector<std::string> ids;
  for (const RuleMatch& match : result.matches) {
    ids.push_back(program.rules()[match.rule_index].id_text);
  }
  return ids;
}

// A miniature anomaly-scoring ruleset: two detections add to a score, a threshold rule denies.
constexpr char kScoring[] = R"pb(
  pipelines {}
  pipelines { transformations: "urlDecodeUni" transformations: "lowercase" }
  initial_tx { name: "critical_anomaly_score" value: "5" }
  initial_tx { name: "inbound_anomaly_score_threshold" value: "5" }
  rules {
    id: "100" phase: 2 log: true disruptive: BLOCK tags: "attack-sqli"
    conditions {
      targets { collection: "ARGS" }
      pipeline: 1
      operator { name: "rx" argument: "union\\s+select" }
      setvars { name: "anomaly_score" operation: ADD value: "%{tx.critical_anomaly_score}" }
      setvars { name: "sql_injection_score" operation: ADD value: "%{tx.critical_anomaly_score}" }
    }
  }
  rules {
    id: "101" phase: 2 log: true disruptive: BLOCK
    conditions {
      targets { collection: "ARGS" exclusions { kind: SELECTOR_KEY text: "comment" } }
      pipeline: 1
      operator { name: "pm" argument: "<script" }
      setvars { name: "anomaly_score" operation: ADD value: "%{tx.critical_anomaly_score}" }
    }
  }
  rules {
    id: "949110" phase: 2 log: true disruptive: DENY
    conditions {
      targets { collection: "TX" selector { kind: SELECTOR_KEY text: "ANOMALY_SCORE" } }
      operator { name: "ge" argument: "%{tx.inbound_anomaly_score_threshold}" runtime_macros: true }
    }
  }
)pb";

TEST(EvaluatorTest, ScoresAndDeniesAtTheThreshold) {
  auto program = Link(kScoring);
  ASSERT_NE(program, nullptr);
  Evaluator evaluator;
  EvaluationResult result;

  TestRequest attack("/?id=1%20UNION%20%20SELECT%20pw");
  evaluator.Evaluate(*program, attack.data, {}, &result);
  EXPECT_EQ(LoggedIds(*program, result), (std::vector<std::string>{"100", "949110"}));
  EXPECT_TRUE(result.denied);
  EXPECT_EQ(program->rules()[result.deny_rule].id_text, "949110");
  EXPECT_EQ(result.anomaly_score, 5);
  EXPECT_EQ(result.matches[0].variable, "ARGS:id");
  EXPECT_EQ(result.matches[0].value, "1 union  select pw");

  TestRequest benign("/?q=union%20station");
  evaluator.Evaluate(*program, benign.data, {}, &result);
  EXPECT_TRUE(result.matches.empty());
  EXPECT_FALSE(result.denied);

  // An excluded argument is not inspected by 101.
  TestRequest excluded("/?comment=%3Cscript%3E");
  evaluator.Evaluate(*program, excluded.data, {}, &result);
  EXPECT_TRUE(result.matches.empty());
}

TEST(EvaluatorTest, ZoneSettingsAndRuleModes) {
  auto program = Link(kScoring);
  ASSERT_NE(program, nullptr);
  Evaluator evaluator;
  EvaluationResult result;
  TestRequest attack("/?id=1%20union%20select%202&x=%3Cscript%3E");

  EvaluationSettings settings;
  settings.tx = {{"inbound_anomaly_score_threshold", "20"}};
  evaluator.Evaluate(*program, attack.data, settings, &result);
  EXPECT_EQ(LoggedIds(*program, result), (std::vector<std::string>{"100", "101"}));
  EXPECT_FALSE(result.denied);
  EXPECT_EQ(result.anomaly_score, 10);

  // 100 only logs: no score from it; 101 is off.
  settings.tx.clear();
  settings.modes = {RuleMode::kLogOnly, RuleMode::kDisabled, RuleMode::kDefault};
  evaluator.Evaluate(*program, attack.data, settings, &result);
  EXPECT_EQ(LoggedIds(*program, result), std::vector<std::string>{"100"});
  EXPECT_FALSE(result.denied);
  EXPECT_EQ(result.anomaly_score, 0);

  settings.modes = {RuleMode::kBlock, RuleMode::kDefault, RuleMode::kDefault};
  evaluator.Evaluate(*program, attack.data, settings, &result);
  EXPECT_TRUE(result.denied);
  EXPECT_EQ(program->rules()[result.deny_rule].id_text, "100");

  // Detection only: the deny is logged, and evaluation goes on.
  settings.modes.clear();
  settings.detection_only = true;
  settings.log_lines = true;
  evaluator.Evaluate(*program, attack.data, settings, &result);
  EXPECT_FALSE(result.denied);
  EXPECT_EQ(LoggedIds(*program, result), (std::vector<std::string>{"100", "101", "949110"}));
  ASSERT_EQ(result.log_lines.size(), 3u);
  EXPECT_NE(result.log_lines[2].find("[id \"949110\"]"), std::string::npos);
}

// Setvars of TX variables nothing reads are dropped when linking, and a rule left with no
// effect is not run; a variable a regex selector, a macro or a name built by a macro may read
// keeps its writes.
TEST(EvaluatorTest, WritesNothingReadsAreDroppedAndRulesLeftWithoutEffectSkipped) {
  auto program = Link(R"pb(
    pipelines {}
    rules {
      id: "1"
      phase: 1
      conditions {
        targets {
          collection: "REQUEST_HEADERS"
          selector { kind: SELECTOR_KEY text: "User-Agent" }
        }
        operator { name: "rx" argument: "^.*$" }
        setvars { name: "ua_hash" value: "%{MATCHED_VAR}" }
      }
    }
    rules {
      id: "2"
      phase: 1
      conditions {
        targets {
          collection: "REQUEST_HEADERS"
          selector { kind: SELECTOR_KEY text: "User-Agent" }
        }
        operator { name: "rx" argument: "^.*$" }
        setvars { name: "seen_agent" value: "1" }
        setvars { name: "agent" value: "%{MATCHED_VAR}" }
        setvars { name: "unread" value: "1" }
      }
    }
    rules {
      id: "3"
      phase: 1
      log: true
      conditions {
        targets {
          collection: "TX"
          selector { kind: SELECTOR_REGEX text: "^SEEN_" }
        }
        operator { name: "streq" argument: "1" }
      }
    }
    rules {
      id: "4"
      phase: 1
      log: true
      conditions {
        targets {
          collection: "REQUEST_HEADERS"
          selector { kind: SELECTOR_KEY text: "User-Agent" }
        }
        operator { name: "streq" argument: "%{tx.agent}" runtime_macros: true }
      }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  const std::vector<LinkedRule>& rules = program->rules();
  EXPECT_TRUE(rules[0].conditions[0].setvars.empty());
  EXPECT_TRUE(rules[0].inert);
  ASSERT_EQ(rules[1].conditions[0].setvars.size(), 2u);  // "unread" dropped
  EXPECT_EQ(rules[1].conditions[0].setvars[1].name.constant_text(), "agent");
  EXPECT_FALSE(rules[1].inert);

  Evaluator evaluator;
  EvaluationResult result;
  TestRequest request("/", {{"User-Agent", "curl/8"}});
  EvaluationSettings settings;
  evaluator.Evaluate(*program, request.data, settings, &result);
  EXPECT_EQ(LoggedIds(*program, result), (std::vector<std::string>{"3", "4"}));
  EXPECT_FALSE(result.denied);

  // A zone that blocks on the rule makes its match count again.
  settings.modes = {RuleMode::kBlock, RuleMode::kDefault, RuleMode::kDefault, RuleMode::kDefault};
  evaluator.Evaluate(*program, request.data, settings, &result);
  EXPECT_TRUE(result.denied);
  EXPECT_EQ(rules[result.deny_rule].id_text, "1");

  // A variable named by a macro may be anyone's: such a write stays.
  auto built = Link(R"pb(
    pipelines {}
    rules {
      id: "5"
      phase: 1
      unconditional: true
      setvars { name: "name_%{tx.0}" value: "1" }
    }
  )pb");
  ASSERT_NE(built, nullptr);
  EXPECT_EQ(built->rules()[0].setvars.size(), 1u);
  EXPECT_FALSE(built->rules()[0].inert);
}

TEST(EvaluatorTest, ChainsCapturesCountsAndSkips) {
  auto program = Link(R"pb(
    pipelines {}
    rules {
      id: "1" phase: 1 log: true
      conditions {
        targets { collection: "REQUEST_HEADERS" selector { kind: SELECTOR_KEY text: "content-type" } }
        operator { name: "rx" argument: "^([^;]+)" }
        capture: true
      }
      conditions {
        targets { collection: "TX" selector { kind: SELECTOR_KEY text: "1" } }
        operator { name: "within" argument: "|text/plain|" negated: true }
      }
    }
    rules {
      id: "2" phase: 1 log: true skip_to: 3
      conditions {
        targets { collection: "ARGS" count: true }
        operator { name: "eq" argument: "0" }
      }
    }
    rules {
      id: "3" phase: 2 log: true
      conditions {
        targets { collection: "REQUEST_METHOD" }
        operator { name: "streq" argument: "GET" }
      }
    }
    rules {
      id: "4" phase: 2 log: true
      conditions {
        targets { collection: "ARGS_NAMES" }
        operator { name: "rx" argument: "^a" }
      }
      conditions {
        targets { collection: "MATCHED_VARS" }
        operator { name: "streq" argument: "ab" }
      }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  Evaluator evaluator;
  EvaluationResult result;

  // Content-Type x/y is not text/plain (chain matches); no arguments: 2 matches and skips 3.
  TestRequest no_args("/", {{"Content-Type", "x/y; charset=utf-8"}});
  evaluator.Evaluate(*program, no_args.data, {}, &result);
  EXPECT_EQ(LoggedIds(*program, result), (std::vector<std::string>{"1", "2"}));

  TestRequest plain("/?ab=1", {{"Content-Type", "text/plain"}});
  evaluator.Evaluate(*program, plain.data, {}, &result);
  EXPECT_EQ(LoggedIds(*program, result), (std::vector<std::string>{"3", "4"}));
}

// CRS's shape: a set-up rule fills in a level the zone did not set, gates skip the rules above
// it; a variable a request can change, or a macro-named setvar can write, is never decided.
constexpr char kGates[] = R"pb(
  pipelines {}
  rules {
    id: "1" phase: 1
    conditions {
      targets { collection: "TX" selector { kind: SELECTOR_KEY text: "paranoia_level" } count: true }
      operator { name: "eq" argument: "0" }
    }
    setvars { name: "paranoia_level" operation: SET value: "1" }
  }
  rules {
    id: "2" phase: 1
    conditions {
      targets { collection: "ARGS" selector { kind: SELECTOR_KEY text: "debug" } }
      operator { name: "streq" argument: "1" }
      setvars { name: "verbose" operation: SET value: "1" }
    }
  }
  rules {
    id: "3" phase: 1
    conditions {
      targets { collection: "ARGS_NAMES" }
      operator { name: "rx" argument: "^(.*)$" }
      capture: true
      setvars { name: "seen_%{tx.1}" operation: SET value: "1" }
    }
  }
  rules {
    id: "10" phase: 2 skip_to: 5
    conditions {
      targets { collection: "TX" selector { kind: SELECTOR_KEY text: "PARANOIA_LEVEL" } }
      operator { name: "lt" argument: "2" }
    }
  }
  rules {
    id: "11" phase: 2 log: true
    conditions {
      targets { collection: "ARGS" }
      operator { name: "rx" argument: "attack" }
    }
  }
  rules {
    id: "12" phase: 2 log: true
    conditions {
      targets { collection: "TX" selector { kind: SELECTOR_KEY text: "verbose" } }
      operator { name: "eq" argument: "1" }
    }
  }
  rules {
    id: "13" phase: 2
    conditions {
      targets { collection: "TX" selector { kind: SELECTOR_KEY text: "verbose" } }
      operator { name: "eq" argument: "1" }
    }
  }
  rules {
    id: "14" phase: 2
    conditions {
      targets { collection: "TX" selector { kind: SELECTOR_KEY text: "seen_a" } count: true }
      operator { name: "eq" argument: "1" }
    }
  }
  rules {
    id: "15" phase: 2 log: true
    conditions {
      targets { collection: "TX" selector { kind: SELECTOR_KEY text: "paranoia_level" } }
      operator { name: "ge" argument: "2" }
      setvars { name: "anomaly_score" operation: ADD value: "5" }
    }
  }
  rules {
    id: "16" phase: 2 log: true
    conditions {
      targets { collection: "ARGS" }
      operator { name: "rx" argument: "attack" }
      setvars { name: "attacks" operation: ADD value: "1" }
    }
    conditions {
      targets { collection: "TX" selector { kind: SELECTOR_KEY text: "paranoia_level" } }
      operator { name: "ge" argument: "2" }
    }
  }
  rules {
    id: "17" phase: 2 log: true
    conditions {
      targets { collection: "TX" selector { kind: SELECTOR_KEY text: "attacks" } }
      operator { name: "ge" argument: "1" }
    }
  }
)pb";

TEST(EvaluatorTest, TxGatesTheZoneFixesAreDecidedOnce) {
  auto program = Link(kGates);
  ASSERT_NE(program, nullptr);
  using enum RuleDecision;
  EvaluationSettings settings;
  settings.tx = {{"paranoia_level", "1"}};
  // Rule 1 cannot run (the zone set the level), so the gate reads what the zone set. 12 logs: not
  // a gate; 13 reads what rule 2 may set; 14 what rule 3's macro-named setvar may. Rules with
  // effects are decided only when they fail: 1 and 15 fail for every request of the zone; 16's
  // first link adds to a score before its fixed second link fails, so 16 is tested.
  EXPECT_EQ(Evaluator::DecideTxGates(*program, settings),
            (std::vector<RuleDecision>{kFails, kUndecided, kUndecided, kMatches, kUndecided,
                                       kUndecided, kUndecided, kUndecided, kFails, kUndecided,
                                       kUndecided}));
  settings.tx = {{"paranoia_level", "2"}};
  EXPECT_EQ(Evaluator::DecideTxGates(*program, settings)[3], kFails);
  EXPECT_EQ(Evaluator::DecideTxGates(*program, settings)[8], kUndecided);  // it may match
  // Rule 1 sets the level the zone left unset: it is no longer what the request starts with.
  settings.tx.clear();
  EXPECT_EQ(Evaluator::DecideTxGates(*program, settings)[3], kUndecided);
  // ... unless the program starts with the value rule 1 would set.
  auto preset = Link(absl::StrCat(R"pb(initial_tx { name: "paranoia_level" value: "1" })pb",
                                  kGates));
  ASSERT_NE(preset, nullptr);
  EXPECT_EQ(Evaluator::DecideTxGates(*preset, settings)[3], kMatches);
  // A rule the zone turns off sets nothing.
  settings.modes.assign(program->rules().size(), RuleMode::kDefault);
  settings.modes[0] = RuleMode::kDisabled;
  // The level is then unset: the gate has no value to test, and fails.
  EXPECT_EQ(Evaluator::DecideTxGates(*program, settings)[3], kFails);
}

TEST(EvaluatorTest, DecidedGatesGiveTheVerdictsOfTestedOnes) {
  auto program = Link(kGates);
  ASSERT_NE(program, nullptr);
  Evaluator evaluator;
  EvaluationResult decided, tested;
  for (const char* level : {"1", "2"}) {
    EvaluationSettings settings;
    settings.tx = {{"paranoia_level", level}};
    settings.decisions = Evaluator::DecideTxGates(*program, settings);
    EvaluationSettings plain = settings;
    plain.decisions.clear();
    for (const char* target : {"/?q=attack", "/?debug=1&q=attack", "/?a=1"}) {
      TestRequest request(target);
      evaluator.Evaluate(*program, request.data, settings, &decided);
      evaluator.Evaluate(*program, request.data, plain, &tested);
      EXPECT_EQ(LoggedIds(*program, decided), LoggedIds(*program, tested)) << level << target;
    }
  }
  // The gate skips 11 at level 1 and not at 2.
  EvaluationSettings level2;
  level2.tx = {{"paranoia_level", "2"}};
  level2.decisions = Evaluator::DecideTxGates(*program, level2);
  TestRequest attack("/?q=attack&debug=1");
  evaluator.Evaluate(*program, attack.data, level2, &decided);
  EXPECT_EQ(LoggedIds(*program, decided),
            (std::vector<std::string>{"11", "12", "15", "16", "17"}));
  // At level 1, 15 is decided and 16 tested: its first link's score still counts.
  EvaluationSettings level1;
  level1.tx = {{"paranoia_level", "1"}};
  level1.decisions = Evaluator::DecideTxGates(*program, level1);
  evaluator.Evaluate(*program, attack.data, level1, &decided);
  EXPECT_EQ(LoggedIds(*program, decided), (std::vector<std::string>{"12", "17"}));
}

TEST(EvaluatorTest, AZonesPlanPassesOverWhatItDecidedAndFollowsDecidedSkips) {
  auto program = Link(kGates);
  ASSERT_NE(program, nullptr);
  const size_t size = program->rules().size();
  EvaluationSettings settings;
  settings.tx = {{"paranoia_level", "1"}};
  settings.modes.assign(size, RuleMode::kDefault);
  settings.modes[6] = RuleMode::kDisabled;  // rule 13
  settings.decisions = Evaluator::DecideTxGates(*program, settings);
  settings.visits = PlanVisits(*program, settings.modes, settings.decisions);
  const VisitPlan& plan = settings.visits;
  // Rules 1 and 15 are decided to fail, 13 is off and 14 has no effect (inert): never visited.
  // The gate (10) is decided
  // to match: a request goes where it skips to, without reading it.
  std::vector<size_t> effective, jumps;
  for (size_t i = 0; i < size; ++i) {
    if (plan.effective.Contains(i)) effective.push_back(i);
    if (plan.jumps.Contains(i)) jumps.push_back(i);
  }
  EXPECT_EQ(effective, (std::vector<size_t>{1, 2, 3, 4, 5, 9, 10}));
  EXPECT_EQ(jumps, (std::vector<size_t>{3}));
  EXPECT_EQ(plan.jump_targets[3], program->rules()[3].skip_to);
  EXPECT_NE(plan.jump_targets[3], 0u);

  // The verdicts are those of every rule read and judged.
  Evaluator evaluator;
  EvaluationResult planned, read;
  EvaluationSettings plain = settings;
  plain.decisions.clear();
  plain.visits = {};
  for (const char* target : {"/?q=attack", "/?debug=1&q=attack", "/?a=1"}) {
    TestRequest request(target);
    for (bool use_prefilter : {true, false}) {
      settings.use_prefilter = plain.use_prefilter = use_prefilter;
      evaluator.Evaluate(*program, request.data, settings, &planned);
      evaluator.Evaluate(*program, request.data, plain, &read);
      EXPECT_EQ(LoggedIds(*program, planned), LoggedIds(*program, read)) << target;
    }
  }
  // A rule a request's skip turns off leaves its plan as well; the gate then no longer skips 11.
  settings.modes[3] = plain.modes[3] = RuleMode::kDisabled;
  settings.visits.TurnOff(3);
  EXPECT_FALSE(settings.visits.effective.Contains(3));
  EXPECT_FALSE(settings.visits.jumps.Contains(3));
  TestRequest attack("/?q=attack");
  evaluator.Evaluate(*program, attack.data, settings, &planned);
  evaluator.Evaluate(*program, attack.data, plain, &read);
  EXPECT_EQ(LoggedIds(*program, planned), (std::vector<std::string>{"11", "17"}));
  EXPECT_EQ(LoggedIds(*program, planned), LoggedIds(*program, read));
}

TEST(EvaluatorTest, ControlsRemoveRulesAndTargetsForTheRestOfTheRequest) {
  auto program = Link(R"pb(
    pipelines {}
    rules {
      id: "10" phase: 1
      conditions {
        targets { collection: "REQUEST_FILENAME" }
        operator { name: "endsWith" argument: "/login" }
        controls { kind: RULE_REMOVE_TARGET_BY_ID value: "30" target_collection: "ARGS" target_selector { kind: SELECTOR_KEY text: "password" } }
        controls { kind: RULE_REMOVE_BY_ID value: "20-29" }
      }
    }
    rules {
      id: "20" phase: 2 log: true
      conditions { targets { collection: "ARGS" } operator { name: "contains" argument: "x" } }
    }
    rules {
      id: "30" phase: 2 log: true
      conditions { targets { collection: "ARGS" } operator { name: "contains" argument: "x" } }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  Evaluator evaluator;
  EvaluationResult result;
  TestRequest elsewhere("/home?password=x");
  evaluator.Evaluate(*program, elsewhere.data, {}, &result);
  EXPECT_EQ(LoggedIds(*program, result), (std::vector<std::string>{"20", "30"}));

  TestRequest login("/login?password=x");
  evaluator.Evaluate(*program, login.data, {}, &result);
  EXPECT_TRUE(result.matches.empty());

  TestRequest login_other("/login?user=x");
  evaluator.Evaluate(*program, login_other.data, {}, &result);
  EXPECT_EQ(LoggedIds(*program, result), std::vector<std::string>{"30"});
}

TEST(EvaluatorTest, LinkRefusesWhatItCannotRun) {
  v1::WafProgram program;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
    program_version: 1
    pipelines { transformations: "noSuchFunction" }
  )pb", &program));
  EXPECT_FALSE(LinkedProgram::Link(program).ok());
  program.Clear();
  program.set_program_version(99);
  absl::StatusOr<std::shared_ptr<const LinkedProgram>> linked = LinkedProgram::Link(program);
  ASSERT_FALSE(linked.ok());
  EXPECT_NE(linked.status().message().find("version 99"), std::string::npos);
  program.Clear();
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
    program_version: 1
    pipelines {}
    rules { id: "5" file: "x.conf" line: 7
            conditions { targets { collection: "GEO" } operator { name: "rx" argument: "x" } } }
  )pb", &program));
  linked = LinkedProgram::Link(program);
  ASSERT_FALSE(linked.ok());
  EXPECT_NE(linked.status().message().find("rule 5 (x.conf:7): unknown variable GEO"),
            std::string::npos)
      << linked.status();
}

// Pipelines that differ only by a lowercase step share one prefilter group and one scanned
// string per value; each rule still sees its own transformations, and a literal found in a
// value counts only for the groups whose transformation produced it.
constexpr char kSharedGroups[] = R"pb(
  pipelines {}
  pipelines { transformations: "lowercase" }
  pipelines { transformations: "urlDecodeUni" }
  pipelines { transformations: "urlDecodeUni" transformations: "lowercase" }
  rules {
    id: "1" phase: 2 log: true
    conditions { targets { collection: "ARGS" } pipeline: 1 operator { name: "rx" argument: "drop\\s+table" } }
  }
  rules {
    id: "2" phase: 2 log: true
    conditions { targets { collection: "ARGS" } pipeline: 0 operator { name: "rx" argument: "DROP\\s+TABLE" } }
  }
  rules {
    id: "3" phase: 2 log: true
    conditions { targets { collection: "ARGS" } pipeline: 3 operator { name: "pm" argument: "<script" } }
  }
  rules {
    id: "4" phase: 2 log: true
    conditions { targets { collection: "REQUEST_HEADERS" } pipeline: 2 operator { name: "rx" argument: "evil-agent" } }
  }
)pb";

std::vector<std::string> IdsFor(const LinkedProgram& program, const TestRequest& request) {
  Evaluator evaluator;
  EvaluationResult result;
  evaluator.Evaluate(program, request.data, EvaluationSettings{}, &result);
  return LoggedIds(program, result);
}

TEST(PrefilterTest, PipelinesThatOnlyLowercaseShareAGroup) {
  auto program = Link(kSharedGroups);
  ASSERT_NE(program, nullptr);
  // Rules 1 and 2 (pipelines [] and [lowercase]) share a group, as do 3 and 4.
  EXPECT_EQ(program->prefilter().group_count(), 2u);
  EXPECT_EQ(program->prefilter().covered_count(), 4u);

  // The upper-case value: rule 1 sees it lowercased, rule 2 as it is.
  EXPECT_EQ(IdsFor(*program, TestRequest("/?q=DROP+TABLE+users")),
            (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(IdsFor(*program, TestRequest("/?q=drop+table+users")), (std::vector<std::string>{"1"}));
  // Percent-encoded and upper case: only the decoding group finds "<script".
  EXPECT_EQ(IdsFor(*program, TestRequest("/?q=%3CSCRIPT%3Ealert(1)")), (std::vector<std::string>{"3"}));
  EXPECT_EQ(IdsFor(*program, TestRequest("/?q=hello")), std::vector<std::string>{});
  // A header value is read only by rule 4's group: "<script" in it counts for no rule.
  EXPECT_EQ(IdsFor(*program, TestRequest("/", {{"User-Agent", "EVIL-AGENT <script"}})),
            std::vector<std::string>{});
  EXPECT_EQ(IdsFor(*program, TestRequest("/", {{"User-Agent", "evil%2Dagent"}})),
            (std::vector<std::string>{"4"}));
}

// A request through a program's prefilter, as the evaluator runs it.
struct PrefilterRun {
  PrefilterRun(const LinkedProgram& program, std::string_view target,
               rules::HeaderList headers = {})
      : request(target, std::move(headers)) {
    candidates.Reset(program.rules().size());
    collections.Build(request.data, waf_inputs::BodyProcessor::kNone);
    program.prefilter().Run(collections, &state, &candidates);
  }

  TestRequest request;
  waf_inputs::RequestCollections collections;
  Prefilter::State state;
  RuleBits candidates;
};

// Rules sharing a group scan each other's collections: a literal found in a value of another
// rule's collection makes no candidate of a rule that does not read it.
TEST(PrefilterTest, CandidatesNeedAValueOfTheirOwnCollectionsThatMayMatch) {
  auto program = Link(R"pb(
    pipelines {}
    rules {
      id: "1"
      phase: 2
      log: true
      conditions {
        targets { collection: "ARGS" }
        operator { name: "rx" argument: "attack" }
      }
    }
    rules {
      id: "2"
      phase: 2
      log: true
      conditions {
        targets { collection: "REQUEST_HEADERS" }
        operator { name: "rx" argument: "evil" }
      }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  ASSERT_EQ(program->prefilter().group_count(), 1u);
  EXPECT_FALSE(
      PrefilterRun(*program, "/?q=hello", {{"User-Agent", "attack"}}).candidates.Contains(0));
  EXPECT_TRUE(
      PrefilterRun(*program, "/?q=attack", {{"User-Agent", "attack"}}).candidates.Contains(0));
  EXPECT_TRUE(PrefilterRun(*program, "/", {{"User-Agent", "evil"}}).candidates.Contains(1));
}

// A regex with no literal of three bytes ("..") is filtered by its two-byte literals: a request
// without ".." does not make it a candidate, one with it does.
TEST(PrefilterTest, RegexesWithOnlyShortLiteralsAreFilteredToo) {
  auto program = Link(R"pb(
    pipelines {}
    rules {
      id: "930110" phase: 2 log: true
      conditions { targets { collection: "ARGS" } pipeline: 0
                   operator { name: "rx" argument: "(?:^|[\\/])\\.\\.(?:[\\/]|$)" } }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  ASSERT_TRUE(program->prefilter().Covers(0));
  EXPECT_EQ(PrefilterRun(*program, "/?file=report.pdf").candidates.Contains(0), false);
  EXPECT_EQ(PrefilterRun(*program, "/?file=../../etc/passwd").candidates.Contains(0), true);
  EXPECT_EQ(PrefilterRun(*program, "/?file=a.b.c").candidates.Contains(0), false);
}

// A regex with atoms of one byte only ("[<>]") has none its group's filter can judge: it is a
// candidate only when some value holds one of its bytes, else not visited at all.
TEST(PrefilterTest, RegexesWithOnlyOneByteAtomsAreCandidatesOnlyWhenAValueHoldsOne) {
  auto program = Link(R"pb(
    pipelines {}
    rules {
      id: "1"
      phase: 2
      log: true
      conditions {
        targets { collection: "ARGS" }
        pipeline: 0
        operator { name: "rx" argument: "[<>]" }
      }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  ASSERT_TRUE(program->prefilter().Covers(0));
  EXPECT_FALSE(PrefilterRun(*program, "/?a=plain&b=words").candidates.Contains(0));
  EXPECT_TRUE(PrefilterRun(*program, "/?a=plain&b=%3Cb").candidates.Contains(0));
  EXPECT_EQ(IdsFor(*program, TestRequest("/?a=plain&b=%3Cb")), std::vector<std::string>{"1"});
}

// A phase-1 ctl that makes a text/plain body URL-encoded: phase 2's rules are judged on the
// arguments the body then has, though the scan before it found no candidate in phase 2.
TEST(PrefilterTest, ABodyProcessorChosenInPhaseOneIsScannedAgainForPhaseTwo) {
  auto program = Link(R"pb(
    pipelines {}
    rules {
      id: "1" phase: 1 unconditional: true
      controls { kind: REQUEST_BODY_PROCESSOR value: "URLENCODED" }
    }
    rules {
      id: "2" phase: 2 log: true
      conditions { targets { collection: "ARGS" } operator { name: "rx" argument: "etc/passwd" } }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  ASSERT_TRUE(program->prefilter().Covers(1));
  const TestRequest request("/", {{"Content-Type", "text/plain"}}, "POST", "file=/etc/passwd");
  EXPECT_FALSE(PrefilterRun(*program, "/").candidates.Contains(1));
  EXPECT_EQ(IdsFor(*program, request), std::vector<std::string>{"2"});
}

// Which entries of a request's ARGS the prefilter lets rule 0's first condition be tested on.
std::vector<std::string> TestedArgs(const LinkedProgram& program, std::string_view target) {
  const PrefilterRun run(program, target);
  std::vector<std::string> keys;
  if (!run.candidates.Contains(0)) return keys;
  const auto args = run.collections.Entries(waf_inputs::Collection::kArgs);
  for (size_t i = 0; i < args.size(); ++i) {
    if (program.prefilter().MayMatch(run.state, 0, waf_inputs::Collection::kArgs, i)) {
      keys.emplace_back(args[i].key);
    }
  }
  return keys;
}

// A candidate rule is tested only on the values that hold its own literals as its regex needs
// them: those of three bytes or more, or single bytes when it has no longer ones ("<" or ">").
// Byte escapes above 0x7F are bytes, as @rx reads them (Latin-1): their atoms are those bytes,
// and a case-folded one (\xc0 under (?i)) is found in either case.
TEST(PrefilterTest, HighByteEscapesAreFilteredAsBytes) {
  auto program = Link(R"pb(
    pipelines {}
    rules {
      id: "941310" phase: 2 log: true
      conditions { targets { collection: "ARGS" } pipeline: 0
                   operator { name: "rx" argument: "\\xbc[^\\xbe>]*[\\xbe>]" } }
    }
    rules {
      id: "2" phase: 2 log: true
      conditions { targets { collection: "ARGS" } pipeline: 0
                   operator { name: "rx" argument: "(?i)caf\\xc9s" } }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  ASSERT_TRUE(program->prefilter().Covers(0));
  ASSERT_TRUE(program->prefilter().Covers(1));
  // Its atoms are single bytes, 0xBC and then 0xBE or '>': the values holding both are tested
  // (c holds 0xBC after a 0xC2, d has no 0xBE or '>').
  EXPECT_EQ(TestedArgs(*program, "/?a=%BCscript%BE&b=script&c=%C2%BC%3E&d=%BC"),
            (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(IdsFor(*program, TestRequest("/?q=%BCscript%BE")), std::vector<std::string>{"941310"});
  EXPECT_EQ(PrefilterRun(*program, "/?q=CAF%E9S").candidates.Contains(1), true);
  EXPECT_EQ(IdsFor(*program, TestRequest("/?q=caf%E9s")), std::vector<std::string>{"2"});
  EXPECT_EQ(PrefilterRun(*program, "/?q=cafes").candidates.Contains(1), false);
}

TEST(PrefilterTest, TestsACandidateRuleOnlyOnTheValuesHoldingItsLiterals) {
  auto words = Link(R"pb(
    pipelines { transformations: "urlDecodeUni" }
    rules {
      id: "1" phase: 2 log: true
      conditions { targets { collection: "ARGS" } pipeline: 0
                   operator { name: "rx" argument: "union\\s+(?:all\\s+)?select" } }
    }
  )pb");
  ASSERT_NE(words, nullptr);
  // The literals in the combination the regex needs: "select" without "union" is not tested.
  EXPECT_EQ(TestedArgs(*words, "/?a=1%20UNION%20SELECT%202&b=hello&c=select&d=union%20select"),
            (std::vector<std::string>{"a", "d"}));
  EXPECT_EQ(TestedArgs(*words, "/?b=hello"), std::vector<std::string>{});

  auto bytes = Link(R"pb(
    pipelines {}
    rules {
      id: "2" phase: 2 log: true
      conditions { targets { collection: "ARGS" } pipeline: 0
                   operator { name: "rx" argument: "[<>][a-z]+" } }
    }
  )pb");
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(TestedArgs(*bytes, "/?a=x%3Cb&b=plain&c=%3E"), (std::vector<std::string>{"a", "c"}));

  // Evaluation agrees: the rule matches where its pattern is, and only there.
  Evaluator evaluator;
  EvaluationResult result;
  TestRequest request("/?a=hello&b=1+union+select+2");
  evaluator.Evaluate(*words, request.data, EvaluationSettings{}, &result);
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_EQ(result.matches[0].variable, "ARGS:b");
}

// A regex with more atoms than a mask holds (CRS's 941160: "<" or a quote, then one of some three
// hundred event names) is filtered by the rarest atoms every match needs: a value naming an event
// without "<" is not tested. With fewer atoms the whole formula decides, as before.
TEST(PrefilterTest, ARegexWithManyAtomsIsFilteredByTheAtomsEveryMatchNeeds) {
  for (const int words : {70, 10}) {
    std::string alternatives = "x";
    for (int i = 0; i < words; ++i) {
      // Adjacent alternatives start differently, so RE2 keeps them apart.
      absl::StrAppend(&alternatives, "|", std::string(1, static_cast<char>('a' + i % 26)),
                      std::string(1, static_cast<char>('a' + i / 26)), "q",
                      std::string(1, static_cast<char>('a' + i * 5 % 26)));
    }
    auto program =
        Link(absl::StrCat(R"pb(
                            pipelines {}
                            rules { id: "941160" phase: 2 log: true
                                    conditions { targets { collection: "ARGS" }
                                                 pipeline: 0
                                                 operator { name: "rx" argument: "<(?:)pb",
                          alternatives, R"pb(                                             )" } }
      }
        )pb"));
    ASSERT_NE(program, nullptr);
    ASSERT_TRUE(program->prefilter().Covers(0));
    SCOPED_TRACE(words);
    // "daqp" is alternative 3 ('d', 'a', "q", 'a' + 15).
    EXPECT_EQ(TestedArgs(*program, "/?a=daqp&b=%3Cdaqp&c=plain&d=%3Cx&e=x"),
              (std::vector<std::string>{"b", "d"}));
    EXPECT_EQ(IdsFor(*program, TestRequest("/?a=daqp&b=%3Cdaqp")),
              std::vector<std::string>{"941160"});
    EXPECT_EQ(IdsFor(*program, TestRequest("/?a=daqp&c=%3C")), std::vector<std::string>{});
  }
}

// @validateByteRange is tested only on the values holding a byte outside its ranges (after its
// transformations), and matches there as before.
TEST(PrefilterTest, ByteRangesAreTestedOnlyWhereAByteIsOutside) {
  auto program = Link(R"pb(
    pipelines { transformations: "urlDecodeUni" }
    rules {
      id: "920270"
      phase: 2
      log: true
      conditions {
        targets { collection: "ARGS" }
        pipeline: 0
        operator { name: "validateByteRange" argument: "1-255" }
      }
    }
    rules {
      id: "920273"
      phase: 2
      log: true
      conditions {
        targets { collection: "ARGS" }
        pipeline: 0
        operator { name: "validateByteRange" argument: "38,44-46,48-58,61,65-90,95,97-122" }
      }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  ASSERT_TRUE(program->prefilter().Covers(0));
  ASSERT_TRUE(program->prefilter().Covers(1));
  // b's NUL comes of urlDecodeUni ("nul%00" as ARGS holds it).
  EXPECT_EQ(TestedArgs(*program, "/?a=plain&b=nul%2500&c=%00&d=Upper"),
            (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(IdsFor(*program, TestRequest("/?a=plain&c=x%00")),
            (std::vector<std::string>{"920270", "920273"}));
  EXPECT_EQ(IdsFor(*program, TestRequest("/?a=Plain_Words-1.2")), std::vector<std::string>{});
  EXPECT_EQ(IdsFor(*program, TestRequest("/?a=semi;colon")), std::vector<std::string>{"920273"});
}

// Key regexes that are plain text (CRS's /__utm/, /^_pk_ref/, /paramcounter_.*/) are matched
// without RE2, with the same meaning: caseless, anywhere in the key unless anchored.
TEST(EvaluatorTest, PlainKeyRegexesKeepTheirMeaning) {
  auto program = Link(R"pb(
    pipelines {}
    rules {
      id: "1" phase: 2 log: true
      conditions {
        targets {
          collection: "ARGS"
          exclusions { kind: SELECTOR_REGEX text: "__utm" }
          exclusions { kind: SELECTOR_REGEX text: "^_pk" }
          exclusions { kind: SELECTOR_REGEX text: "^exact$" }
          exclusions { kind: SELECTOR_REGEX text: "counter_*" }
          exclusions { kind: SELECTOR_REGEX text: "S?DW[a-f0-9]+" }
        }
        pipeline: 0 operator { name: "rx" argument: "x" }
      }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  auto excluded = [&](std::string_view key) {
    Evaluator evaluator;
    EvaluationResult result;
    const std::string target = absl::StrCat("/?", rules::ToAbsl(key), "=x");
    TestRequest request(target);  // holds a view of the target
    evaluator.Evaluate(*program, request.data, EvaluationSettings{}, &result);
    return result.matches.empty();
  };
  EXPECT_TRUE(excluded("a__UTMz"));
  EXPECT_TRUE(excluded("_PK_id"));
  EXPECT_FALSE(excluded("my_pk"));
  EXPECT_TRUE(excluded("EXACT"));
  EXPECT_FALSE(excluded("exactly"));
  EXPECT_TRUE(excluded("paramcounter_1"));
  EXPECT_TRUE(excluded("paramcounter"));  // "_*" matches the empty string too
  EXPECT_TRUE(excluded("dw12"));          // a real regex, through RE2, caseless
  EXPECT_FALSE(excluded("sdwz"));
}

// A zone's prefilter leaves out the rules above its paranoia level; a rule above it that the
// zone turns on anyway is evaluated unfiltered, and still matches.
TEST(PrefilterTest, EachParanoiaLevelHasItsOwn) {
  auto program = Link(R"pb(
    pipelines {}
    rules {
      id: "1" phase: 2 log: true paranoia_level: 1
      conditions { targets { collection: "ARGS" } pipeline: 0
                   operator { name: "rx" argument: "drop\\s+table" } }
    }
    rules {
      id: "2" phase: 2 log: true paranoia_level: 2
      conditions { targets { collection: "ARGS" } pipeline: 0
                   operator { name: "rx" argument: "select\\s+from" } }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  EXPECT_TRUE(program->prefilter(1).Covers(0));
  EXPECT_FALSE(program->prefilter(1).Covers(1));
  EXPECT_TRUE(program->prefilter(2).Covers(1));
  EXPECT_EQ(&program->prefilter(2), &program->prefilter());  // level 2 leaves out nothing

  EvaluationSettings settings;
  settings.paranoia_level = 1;
  settings.modes = {RuleMode::kDefault, RuleMode::kDefault};  // rule 2 on at level 1
  Evaluator evaluator;
  EvaluationResult result;
  TestRequest request("/?q=select+from+users&r=drop+table+t");
  evaluator.Evaluate(*program, request.data, settings, &result);
  EXPECT_EQ(LoggedIds(*program, result), (std::vector<std::string>{"1", "2"}));
}

// A multiMatch rule's literals are looked for in the value after each step of its pipeline:
// found only once decoded, or only before a later step removes them, it is still tested.
TEST(PrefilterTest, FiltersMultiMatchRulesOnEveryStep) {
  auto program = Link(R"pb(
    pipelines { transformations: "urlDecodeUni" transformations: "removeWhitespace" }
    rules {
      id: "1" phase: 2 log: true
      conditions { targets { collection: "ARGS" } pipeline: 0 multi_match: true
                   operator { name: "rx" argument: "passwd file" } }
    }
  )pb");
  ASSERT_NE(program, nullptr);
  ASSERT_TRUE(program->prefilter().Covers(0));
  // "passwd file" exists only between the two steps: decoded, before whitespace is removed.
  EXPECT_EQ(TestedArgs(*program, "/?a=the%20passwd%20file&b=other"),
            std::vector<std::string>{"a"});
  EXPECT_EQ(IdsFor(*program, TestRequest("/?a=the%20passwd%20file&b=other")),
            std::vector<std::string>{"1"});
  EXPECT_EQ(TestedArgs(*program, "/?a=hello&b=other"), std::vector<std::string>{});
}

}  // namespace
}  // namespace gatehouse::waf
