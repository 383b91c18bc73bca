#include "gtest/gtest.h"
#include "tests/fuzz/ir_reader_fuzz.h"
#include "tests/support/fuzz_driver.h"

namespace gatehouse::testing {
namespace {

// The seeds (IR of compiled expressions, see ir_fuzz_seed_writer), then bounded mutations.
TEST(IrReaderFuzzReplayTest, CorpusAndBoundedMutations) {
  const std::vector<std::string> corpus = ReadCorpus("tests/fuzz/ir_reader_corpus");
  ASSERT_GE(corpus.size(), 20u);
  // The target aborts on a broken invariant; reaching the end is the assertion.
  EXPECT_EQ(RunFuzzer(IrReaderFuzzTarget(), corpus, 20000, 20261202),
            static_cast<int64_t>(corpus.size()) + 20000);
}

}  // namespace
}  // namespace gatehouse::testing
