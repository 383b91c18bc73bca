#include "gtest/gtest.h"
#include "tests/fuzz/detect_fuzz.h"
#include "tests/support/fuzz_driver.h"

namespace gatehouse::testing {
namespace {

// The seeds (SQL and HTML shapes in each quoting context), then bounded mutations.
TEST(DetectFuzzReplayTest, CorpusAndBoundedMutations) {
  const std::vector<std::string> corpus = ReadCorpus("tests/fuzz/detect_corpus");
  ASSERT_GE(corpus.size(), 20u);
  // The target aborts on a broken invariant; reaching the end is the assertion.
  EXPECT_EQ(RunFuzzer(DetectFuzzTarget(), corpus, 20000, 20261202),
            static_cast<int64_t>(corpus.size()) + 20000);
}

}  // namespace
}  // namespace gatehouse::testing
