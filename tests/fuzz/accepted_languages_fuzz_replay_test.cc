#include "gtest/gtest.h"
#include "tests/fuzz/accepted_languages_fuzz.h"
#include "tests/support/fuzz_driver.h"

namespace gatehouse::testing {
namespace {

// The seeds (browsers' values, q orders and ties, malformed q values), then bounded mutations.
TEST(AcceptedLanguagesFuzzReplayTest, CorpusAndBoundedMutations) {
  const std::vector<std::string> corpus = ReadCorpus("tests/fuzz/accepted_languages_corpus");
  ASSERT_GE(corpus.size(), 8u);
  // The target aborts on a broken invariant; reaching the end is the assertion.
  EXPECT_EQ(RunFuzzer(AcceptedLanguagesFuzzTarget(), corpus, 50000, 20261204),
            static_cast<int64_t>(corpus.size()) + 50000);
}

}  // namespace
}  // namespace gatehouse::testing
