#include "gtest/gtest.h"
#include "tests/fuzz/seclang_parser_fuzz.h"
#include "tests/support/fuzz_driver.h"

namespace gatehouse::testing {
namespace {

// The seeds (CRS rules of every shape, configuration directives, broken quoting), then bounded
// mutations.
TEST(SeclangParserFuzzReplayTest, CorpusAndBoundedMutations) {
  const std::vector<std::string> corpus = ReadCorpus("tests/fuzz/seclang_parser_corpus");
  ASSERT_GE(corpus.size(), 20u);
  // The target aborts on a broken invariant; reaching the end is the assertion.
  EXPECT_EQ(RunFuzzer(SeclangParserFuzzTarget(), corpus, 20000, 20261202),
            static_cast<int64_t>(corpus.size()) + 20000);
}

}  // namespace
}  // namespace gatehouse::testing
