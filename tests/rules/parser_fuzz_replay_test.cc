#include "gtest/gtest.h"
#include "tests/rules/parser_fuzz.h"
#include "tests/support/fuzz_driver.h"

namespace gatehouse::rules::testing {
namespace {

TEST(ParserFuzzReplayTest, CorpusAndBoundedMutations) {
  std::vector<std::string> corpus = gatehouse::testing::ReadCorpus("tests/rules/parser_fuzz_corpus");
  ASSERT_GE(corpus.size(), 20u);
  // The target aborts on a broken invariant; reaching the end is the assertion.
  EXPECT_EQ(gatehouse::testing::RunFuzzer(ParserFuzzTarget(), corpus, 20000, 20260101), static_cast<int64_t>(corpus.size()) + 20000);
}

}  // namespace
}  // namespace gatehouse::rules::testing
