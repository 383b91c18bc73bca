#include "gtest/gtest.h"
#include "tests/fuzz/http2_request_fuzz.h"
#include "tests/support/fuzz_driver.h"

namespace gatehouse::testing {
namespace {

// The seeds (requests whole and malformed, with and without bodies), then bounded mutations.
TEST(Http2RequestFuzzReplayTest, CorpusAndBoundedMutations) {
  const std::vector<std::string> corpus = ReadCorpus("tests/fuzz/http2_request_corpus");
  ASSERT_GE(corpus.size(), 8u);
  // The target aborts on a broken invariant; reaching the end is the assertion.
  EXPECT_EQ(RunFuzzer(Http2RequestFuzzTarget(), corpus, 50000, 20261204),
            static_cast<int64_t>(corpus.size()) + 50000);
}

}  // namespace
}  // namespace gatehouse::testing
