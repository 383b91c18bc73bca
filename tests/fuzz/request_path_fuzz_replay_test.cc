#include "gtest/gtest.h"
#include "tests/fuzz/request_path_fuzz.h"
#include "tests/support/fuzz_driver.h"

namespace gatehouse::testing {
namespace {

// The corpus, then a bounded number of mutations from a fixed seed: a few seconds in CI.
TEST(RequestPathFuzzReplayTest, CorpusAndBoundedMutations) {
  const std::vector<std::string> corpus = ReadCorpus("tests/fuzz/request_path_corpus");
  ASSERT_GE(corpus.size(), 20u);
  // The target aborts on a broken invariant; reaching the end is the assertion.
  EXPECT_EQ(RunFuzzer(RequestPathFuzzTarget(), corpus, 1500, 20261202),
            static_cast<int64_t>(corpus.size()) + 1500);
}

}  // namespace
}  // namespace gatehouse::testing
