#include "gtest/gtest.h"
#include "tests/rules/fuzz_driver.h"

namespace gatehouse::rules::testing {
namespace {

TEST(ParserFuzzReplayTest, CorpusAndBoundedMutations) {
  std::vector<std::string> corpus = ReadCorpus("tests/rules/parser_fuzz_corpus");
  ASSERT_GE(corpus.size(), 20u);
  // The target aborts on a broken invariant; reaching the end is the assertion.
  EXPECT_EQ(RunFuzzer(corpus, 20000, 20260101), static_cast<int64_t>(corpus.size()) + 20000);
}

}  // namespace
}  // namespace gatehouse::rules::testing
