#include "gtest/gtest.h"
#include "tests/fuzz/client_address_fuzz.h"
#include "tests/support/fuzz_driver.h"

namespace gatehouse::testing {
namespace {

// The seeds (PROXY v1 and v2 headers, whole and broken; X-Forwarded-For lists), then bounded
// mutations.
TEST(ClientAddressFuzzReplayTest, CorpusAndBoundedMutations) {
  const std::vector<std::string> corpus = ReadCorpus("tests/fuzz/client_address_corpus");
  ASSERT_GE(corpus.size(), 20u);
  // The target aborts on a broken invariant; reaching the end is the assertion.
  EXPECT_EQ(RunFuzzer(ClientAddressFuzzTarget(), corpus, 50000, 20261202),
            static_cast<int64_t>(corpus.size()) + 50000);
}

}  // namespace
}  // namespace gatehouse::testing
