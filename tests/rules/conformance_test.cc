// Runs every case of conformance.txt through the public compiler API.
#include <fstream>
#include <sstream>

#include "compiler/rules/expression_compiler.h"
#include "gtest/gtest.h"
#include "rules/evaluation.h"
#include "rules/scratch.h"
#include "rules/strings.h"
#include "tests/rules/conformance_corpus.h"

namespace gatehouse::rules::testing {
namespace {

const ConformanceCorpus& Corpus() { return TheConformanceCorpus(); }

const ExpressionCompiler& Compiler() {
  static const auto* compiler = [] {
    std::vector<std::string> errors;
    auto created = ExpressionCompiler::Create(Corpus().lists, Limits(), &errors);
    EXPECT_TRUE(created.ok()) << created.status();
    return new ExpressionCompiler(created.ok() ? *std::move(created)
                                               : *ExpressionCompiler::Create({}, Limits(), nullptr));
  }();
  return *compiler;
}

std::string Describe(const std::vector<Diagnostic>& diagnostics, std::string_view source) {
  return FormatDiagnostics(source, diagnostics, "expr");
}

class ConformanceTest : public ::testing::TestWithParam<ConformanceCase> {};

TEST_P(ConformanceTest, Case) {
  const ConformanceCase& c = GetParam();
  SCOPED_TRACE(Cat("conformance.txt:", c.line, " [", c.request_name, "] ", c.expression));
  const ConformanceRequest* request = Corpus().FindRequest(c.request_name);
  ASSERT_NE(request, nullptr);
  TestRequest copy = request->request;
  Scratch scratch;
  Evaluation evaluation(copy.data(), scratch);
  std::vector<Diagnostic> diagnostics;
  switch (c.expect) {
    case ConformanceCase::Expect::kError: {
      bool filter = Compiler().CompileFilter(c.expression, c.phase, &diagnostics) != nullptr;
      EXPECT_FALSE(filter) << "compiled, but an error was expected";
      EXPECT_FALSE(diagnostics.empty());
      for (const Diagnostic& d : diagnostics) {
        EXPECT_GE(d.line, 1);
        EXPECT_GE(d.column, 1);
        EXPECT_GE(d.length, 1);
        EXPECT_FALSE(d.message.empty());
      }
      break;
    }
    case ConformanceCase::Expect::kTrue:
    case ConformanceCase::Expect::kFalse: {
      bool want = c.expect == ConformanceCase::Expect::kTrue;
      auto plan = Compiler().CompileFilter(c.expression, c.phase, &diagnostics);
      ASSERT_NE(plan, nullptr) << Describe(diagnostics, c.expression);
      EXPECT_EQ(plan->Matches(evaluation), want) << "optimised plan";
      auto reference = Compiler().CompileReferenceFilter(c.expression, c.phase, &diagnostics);
      ASSERT_NE(reference, nullptr);
      EXPECT_EQ(reference->Matches(evaluation), want) << "reference interpreter";
      break;
    }
    case ConformanceCase::Expect::kValue: {
      auto plan = Compiler().CompileValue(c.expression, c.phase, &diagnostics);
      ASSERT_NE(plan, nullptr) << Describe(diagnostics, c.expression);
      EXPECT_EQ(plan->Evaluate(evaluation), c.value) << "optimised plan";
      auto reference = Compiler().CompileReferenceValue(c.expression, c.phase, &diagnostics);
      ASSERT_NE(reference, nullptr);
      EXPECT_EQ(reference->Evaluate(evaluation), c.value) << "reference interpreter";
      break;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, ConformanceTest, ::testing::ValuesIn(Corpus().cases),
                         [](const ::testing::TestParamInfo<ConformanceCase>& info) {
                           return Cat("line_", info.param.line);
                         });

TEST(ConformanceCorpusTest, HasAtLeastThreeHundredCases) {
  EXPECT_GE(Corpus().cases.size(), 300u);
}

}  // namespace
}  // namespace gatehouse::rules::testing
