// The optimised plan against the reference interpreter, on random expressions and requests.
// Every expression is compiled into one zone (one ExpressionCompiler), so sharing and per-request
// memoisation across rules is exercised too.
#include <cstdlib>
#include <memory>
#include <vector>

#include "compiler/rules/expression_compiler.h"
#include "gtest/gtest.h"
#include "rules/evaluation.h"
#include "rules/scratch.h"
#include "rules/phase_matcher.h"
#include "tests/rules/expression_generator.h"

namespace gatehouse::rules::testing {
namespace {

uint64_t Seed() {
  const char* env = std::getenv("GATEHOUSE_DIFFERENTIAL_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 20260101;
}

struct Compiled {
  std::string source;
  std::shared_ptr<const Filter> plan;
  std::shared_ptr<const Filter> reference;
  std::shared_ptr<const ValueExpression> plan_value;
  std::shared_ptr<const ValueExpression> reference_value;
};

void RunDifferential(bool response_phase, int expressions, int requests) {
  std::string_view phase = response_phase ? "http_custom_errors" : "http_request_firewall_custom";
  ExpressionGenerator generator(Seed() + (response_phase ? 1 : 0), response_phase);
  ExpressionCompiler compiler = *ExpressionCompiler::Create(ExpressionGenerator::Lists(), Limits(), nullptr);
  std::vector<Compiled> compiled;
  for (int i = 0; i < expressions; ++i) {
    Compiled c;
    std::vector<Diagnostic> d;
    bool value = i % 4 == 3;
    c.source = value ? (i % 8 == 7 ? generator.IntValue(3) : generator.RewriteValue(3))
                     : generator.Filter(3);
    if (value) {
      c.plan_value = compiler.CompileValue(c.source, phase, &d);
      c.reference_value = compiler.CompileReferenceValue(c.source, phase, &d);
      ASSERT_NE(c.plan_value, nullptr) << c.source << ": " << FormatDiagnostics(c.source, d, "gen");
    } else {
      c.plan = compiler.CompileFilter(c.source, phase, &d);
      c.reference = compiler.CompileReferenceFilter(c.source, phase, &d);
      ASSERT_NE(c.plan, nullptr) << c.source << ": " << FormatDiagnostics(c.source, d, "gen");
    }
    compiled.push_back(std::move(c));
  }
  int matched = 0;
  int checked = 0;
  for (int r = 0; r < requests; ++r) {
    TestRequest request = generator.Request();
    const RequestData& data = request.data();
    // One evaluation per request for all rules, as the proxy does.
    Scratch scratch;
    Evaluation plan_evaluation(data, scratch);
    Evaluation reference_evaluation(data, scratch);
    for (const Compiled& c : compiled) {
      ++checked;
      if (c.plan != nullptr) {
        bool want = c.reference->Matches(reference_evaluation);
        matched += want;
        ASSERT_EQ(c.plan->Matches(plan_evaluation), want)
            << c.source << "\nrequest " << request.method << " " << request.target;
      } else {
        ASSERT_EQ(c.plan_value->Evaluate(plan_evaluation), c.reference_value->Evaluate(reference_evaluation))
            << c.source << "\nrequest " << request.method << " " << request.target;
      }
    }
  }
  // The generator is useful only if filters go both ways.
  EXPECT_GT(matched, checked / 20);
  EXPECT_LT(matched, checked - checked / 20);
}

// The Hyperscan-prefiltered phase against evaluating every rule with the interpreter.
void RunPhaseDifferential(bool response_phase, int rules, int requests) {
  std::string_view phase = response_phase ? "http_custom_errors" : "http_request_firewall_custom";
  ExpressionGenerator generator(Seed() + 7 + (response_phase ? 1 : 0), response_phase);
  ExpressionCompiler compiler = *ExpressionCompiler::Create(ExpressionGenerator::Lists(), Limits(), nullptr);
  std::vector<PhaseRule> phase_rules;
  std::vector<std::shared_ptr<const Filter>> references;
  std::vector<std::string> sources;
  for (int i = 0; i < rules; ++i) {
    sources.push_back(generator.RuleLike());
    std::vector<Diagnostic> d;
    phase_rules.push_back(compiler.CompileRule(sources.back(), phase, &d));
    ASSERT_NE(phase_rules.back().filter, nullptr) << sources.back();
    references.push_back(compiler.CompileReferenceFilter(sources.back(), phase, &d));
  }
  absl::StatusOr<std::shared_ptr<const PhaseMatcher>> matcher = PhaseMatcher::Build(phase_rules);
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  EXPECT_GT((*matcher)->prefiltered_rule_count(), static_cast<size_t>(rules) / 3);
  for (int r = 0; r < requests; ++r) {
    TestRequest request = generator.Request();
    Scratch scratch;
    Evaluation evaluation(request.data(), scratch);
    Evaluation reference_evaluation(request.data(), scratch);
    std::vector<size_t> want;
    for (size_t i = 0; i < references.size(); ++i) {
      if (references[i]->Matches(reference_evaluation)) want.push_back(i);
    }
    std::vector<size_t> got;
    (*matcher)->MatchAll(evaluation, &got);
    ASSERT_EQ(got, want) << "request " << request.method << " " << request.target;
    ASSERT_EQ((*matcher)->FirstMatch(evaluation),
              want.empty() ? std::nullopt : std::optional<size_t>(want[0]));
  }
}

TEST(DifferentialTest, PrefilteredPhaseEqualsRuleByRule) { RunPhaseDifferential(false, 1500, 60); }
TEST(DifferentialTest, PrefilteredResponsePhaseEqualsRuleByRule) { RunPhaseDifferential(true, 500, 60); }

TEST(DifferentialTest, RequestPhasePlanEqualsInterpreter) { RunDifferential(false, 2000, 40); }
TEST(DifferentialTest, ResponsePhasePlanEqualsInterpreter) { RunDifferential(true, 1000, 40); }

}  // namespace
}  // namespace gatehouse::rules::testing
