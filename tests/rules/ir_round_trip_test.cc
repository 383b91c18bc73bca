// Every conformance case through the IR, as a proxy will run it: text -> check -> encode ->
// serialised bytes -> parse -> link -> evaluate must give what the conformance corpus expects,
// and the same as the plan compiled directly from text and as the reference interpreter (over the
// linked tree too). Plus random expressions from the differential generator and trees at the
// nesting limit, so the linker's depth bound is shown to admit whatever the compiler emits.
#include <fstream>
#include <sstream>

#include "compiler/rules/expression_compiler.h"
#include "gtest/gtest.h"
#include "rules/evaluation.h"
#include "rules/scratch.h"
#include "rules/filter_impl.h"
#include "rules/interpreter.h"
#include "rules/ir_linker.h"
#include "rules/ir_writer.h"
#include "rules/strings.h"
#include "tests/rules/conformance_corpus.h"
#include "tests/rules/expression_generator.h"

namespace gatehouse::rules::testing {
namespace {

const ConformanceCorpus& Corpus() { return TheConformanceCorpus(); }

google::protobuf::RepeatedPtrField<ir::v1::NamedList> EncodeLists(
    const std::vector<NamedListDefinition>& lists) {
  google::protobuf::RepeatedPtrField<ir::v1::NamedList> out;
  for (const NamedListDefinition& list : lists) *out.Add() = EncodeNamedList(list);
  return out;
}

// The control plane's side and the proxy's side of one zone.
struct Zone {
  ExpressionCompiler compiler;
  ExpressionLinker linker;
};

Zone MakeZone(const std::vector<NamedListDefinition>& lists) {
  absl::StatusOr<ExpressionCompiler> compiler = ExpressionCompiler::Create(lists, Limits(), nullptr);
  EXPECT_TRUE(compiler.ok()) << compiler.status();
  absl::StatusOr<ExpressionLinker> linker = ExpressionLinker::Create(EncodeLists(lists), Limits());
  EXPECT_TRUE(linker.ok()) << linker.status();
  return Zone{*std::move(compiler), *std::move(linker)};
}

const Zone& CorpusZone() {
  static const Zone* zone = new Zone(MakeZone(Corpus().lists));
  return *zone;
}

// The IR as it crosses the wire: serialised, then parsed by the proxy.
ir::v1::Expression OverTheWire(const ir::v1::Expression& ir) {
  std::string bytes;
  EXPECT_TRUE(ir.SerializeToString(&bytes));
  ir::v1::Expression parsed;
  EXPECT_TRUE(parsed.ParseFromString(bytes));
  return parsed;
}

// Compiles `source` to IR and links it back; the linked tree must be the compiled one, and must
// encode to the same IR.
std::shared_ptr<const Expr> RoundTrip(const Zone& zone, std::string_view source,
                                      std::string_view phase, ExpressionKind kind,
                                      ir::v1::Expression* wire) {
  std::vector<Diagnostic> diagnostics;
  std::shared_ptr<const Expr> compiled = zone.compiler.CompileTree(source, phase, kind, &diagnostics);
  EXPECT_NE(compiled, nullptr) << FormatDiagnostics(source, diagnostics, "expr");
  std::optional<ir::v1::Expression> ir = zone.compiler.CompileIr(source, phase, kind, &diagnostics);
  if (compiled == nullptr || !ir.has_value()) return nullptr;
  *wire = OverTheWire(*ir);
  absl::StatusOr<std::shared_ptr<const Expr>> linked = zone.linker.LinkTree(*wire, kind);
  EXPECT_TRUE(linked.ok()) << linked.status();
  if (!linked.ok()) return nullptr;
  EXPECT_EQ(ExprToString(**linked), ExprToString(*compiled));
  EXPECT_EQ(EncodeExpression(**linked).SerializeAsString(), wire->SerializeAsString());
  return *linked;
}

class IrRoundTripTest : public ::testing::TestWithParam<ConformanceCase> {};

TEST_P(IrRoundTripTest, Case) {
  const ConformanceCase& c = GetParam();
  SCOPED_TRACE(Cat("conformance.txt:", c.line, " [", c.request_name, "] ", c.expression));
  const ConformanceRequest* request = Corpus().FindRequest(c.request_name);
  ASSERT_NE(request, nullptr);
  const Zone& zone = CorpusZone();
  TestRequest copy = request->request;
  std::vector<Diagnostic> diagnostics;
  ir::v1::Expression wire;
  Scratch scratch;
  switch (c.expect) {
    case ConformanceCase::Expect::kError:
      // What does not compile yields no IR either.
      EXPECT_FALSE(
          zone.compiler.CompileIr(c.expression, c.phase, ExpressionKind::kFilter, &diagnostics));
      EXPECT_FALSE(diagnostics.empty());
      break;
    case ConformanceCase::Expect::kTrue:
    case ConformanceCase::Expect::kFalse: {
      bool want = c.expect == ConformanceCase::Expect::kTrue;
      std::shared_ptr<const Expr> linked =
          RoundTrip(zone, c.expression, c.phase, ExpressionKind::kFilter, &wire);
      ASSERT_NE(linked, nullptr);
      absl::StatusOr<PhaseRule> rule = zone.linker.LinkFilter(wire);
      ASSERT_TRUE(rule.ok()) << rule.status();
      auto direct = zone.compiler.CompileFilter(c.expression, c.phase, &diagnostics);
      ASSERT_NE(direct, nullptr);
      Evaluation evaluation(copy.data(), scratch);
      EXPECT_EQ(rule->filter->Matches(evaluation), want) << "plan linked from IR";
      EXPECT_EQ(direct->Matches(evaluation), want) << "plan compiled from text";
      EXPECT_EQ(FilterImpl(linked).Matches(evaluation), want) << "interpreter, linked tree";
      auto reference = zone.compiler.CompileReferenceFilter(c.expression, c.phase, &diagnostics);
      ASSERT_NE(reference, nullptr);
      EXPECT_EQ(reference->Matches(evaluation), want) << "interpreter, compiled tree";
      break;
    }
    case ConformanceCase::Expect::kValue: {
      std::shared_ptr<const Expr> linked =
          RoundTrip(zone, c.expression, c.phase, ExpressionKind::kValue, &wire);
      ASSERT_NE(linked, nullptr);
      absl::StatusOr<std::shared_ptr<const ValueExpression>> value = zone.linker.LinkValue(wire);
      ASSERT_TRUE(value.ok()) << value.status();
      auto direct = zone.compiler.CompileValue(c.expression, c.phase, &diagnostics);
      ASSERT_NE(direct, nullptr);
      Evaluation evaluation(copy.data(), scratch);
      EXPECT_EQ((*value)->Evaluate(evaluation), c.value) << "plan linked from IR";
      EXPECT_EQ(direct->Evaluate(evaluation), c.value) << "plan compiled from text";
      EXPECT_EQ(ValueExpressionImpl(linked).Evaluate(evaluation), c.value)
          << "interpreter, linked tree";
      break;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, IrRoundTripTest, ::testing::ValuesIn(Corpus().cases),
                         [](const ::testing::TestParamInfo<ConformanceCase>& info) {
                           return Cat("line_", info.param.line);
                         });

TEST(IrRoundTripCorpusTest, CoversTheWholeCorpus) { EXPECT_GE(Corpus().cases.size(), 300u); }

// Random filters and values of the differential generator agree through IR, request by request.
TEST(IrRoundTripRandomTest, GeneratedExpressionsAgree) {
  Zone zone = MakeZone(ExpressionGenerator::Lists());
  constexpr std::string_view kPhase = "http_request_firewall_custom";
  ExpressionGenerator generator(20261202);
  std::vector<TestRequest> requests;
  for (int r = 0; r < 8; ++r) requests.push_back(generator.Request());
  Scratch scratch;
  for (int i = 0; i < 300; ++i) {
    bool value = i % 3 == 2;
    std::string source = value ? generator.BytesValue(3) : generator.Filter(3);
    SCOPED_TRACE(source);
    ExpressionKind kind = value ? ExpressionKind::kValue : ExpressionKind::kFilter;
    ir::v1::Expression wire;
    std::shared_ptr<const Expr> linked = RoundTrip(zone, source, kPhase, kind, &wire);
    ASSERT_NE(linked, nullptr);
    std::shared_ptr<const Expr> compiled = zone.compiler.CompileTree(source, kPhase, kind, nullptr);
    for (TestRequest& request : requests) {
      Evaluation evaluation(request.data(), scratch);
      EXPECT_EQ(RenderValue(Interpret(*linked, evaluation)),
                RenderValue(Interpret(*compiled, evaluation)));
      if (value) {
        EXPECT_EQ((*zone.linker.LinkValue(wire))->Evaluate(evaluation),
                  zone.compiler.CompileValue(source, kPhase, nullptr)->Evaluate(evaluation));
      } else {
        EXPECT_EQ(zone.linker.LinkFilter(wire)->filter->Matches(evaluation),
                  zone.compiler.CompileFilter(source, kPhase, nullptr)->Matches(evaluation));
      }
    }
  }
}

// Shapes that stack the most nodes per nesting level, nested as deep as the compiler accepts:
// the linker's depth bound (MaxTreeDepth) must admit them, and the IR parses although it is
// deeper than protobuf's recursion limit would allow for nested messages.
TEST(IrRoundTripDepthTest, TreesAtTheNestingLimitLink) {
  Zone zone = MakeZone({});
  constexpr std::string_view kPhase = "http_request_firewall_custom";
  const std::string leaf = "any(http.request.headers[*][0] eq \"a\")";
  // Each wraps a Bool expression in one more level.
  const std::vector<std::string (*)(const std::string&)> shapes = {
      [](const std::string& x) { return Cat("(ssl or ssl xor ssl and ", x, ")"); },
      [](const std::string& x) { return Cat("not ", x); },
      [](const std::string& x) { return Cat("(ssl or ssl xor ssl and not ", x, ")"); },
      [](const std::string& x) { return Cat("len(to_string(", x, ")) eq 4"); },
  };
  for (auto wrap : shapes) {
    std::string deepest = leaf;
    int levels = 0;
    for (std::string next = wrap(leaf);
         zone.compiler.CompileTree(next, kPhase, ExpressionKind::kFilter, nullptr) != nullptr;
         next = wrap(next)) {
      deepest = next;
      ++levels;
    }
    SCOPED_TRACE(deepest);
    EXPECT_GE(levels, 30);  // the limit (nesting or length) was reached, not a mistake
    std::vector<Diagnostic> diagnostics;
    EXPECT_EQ(zone.compiler.CompileTree(wrap(deepest), kPhase, ExpressionKind::kFilter,
                                        &diagnostics),
              nullptr);
    ASSERT_FALSE(diagnostics.empty());
    EXPECT_TRUE(diagnostics[0].message.find("nests too deeply") != std::string::npos ||
                diagnostics[0].message.find("bytes long") != std::string::npos)
        << diagnostics[0].message;
    ir::v1::Expression wire;
    EXPECT_NE(RoundTrip(zone, deepest, kPhase, ExpressionKind::kFilter, &wire), nullptr);
  }
}

}  // namespace
}  // namespace gatehouse::rules::testing
