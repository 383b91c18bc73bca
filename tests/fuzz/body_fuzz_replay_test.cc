#include <string>

#include "gtest/gtest.h"
#include "tests/fuzz/body_fuzz.h"
#include "tests/support/fuzz_driver.h"

namespace gatehouse::testing {
namespace {

// Each parser's seeds (the shapes its tests and libmodsecurity's quirks are about), then
// bounded mutations. The target aborts on a broken invariant; reaching the end is the assertion.
class BodyFuzzReplayTest : public ::testing::TestWithParam<const char*> {};

TEST_P(BodyFuzzReplayTest, CorpusAndBoundedMutations) {
  const std::string name = GetParam();
  const std::vector<std::string> corpus = ReadCorpus("tests/fuzz/body_corpus/" + name);
  ASSERT_GE(corpus.size(), 8u);
  EXPECT_EQ(RunFuzzer(BodyFuzzTargetByName(name), corpus, 10000, 20261202),
            static_cast<int64_t>(corpus.size()) + 10000);
}

INSTANTIATE_TEST_SUITE_P(Parsers, BodyFuzzReplayTest,
                         ::testing::Values("form", "multipart", "json", "xml", "sniff"));

}  // namespace
}  // namespace gatehouse::testing
